"""Benchmarks of the planner's solvers on public instances (see ``benchmarks/``)."""
