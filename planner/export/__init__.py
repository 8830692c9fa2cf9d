"""Exporters: each reads a Plan (never the solver) and writes one kind of file."""
