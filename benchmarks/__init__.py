"""The repository's benchmarks: one script per benchmark here, their shared code in
:mod:`benchmarks.lib`. A folder of the repository, not part of the installed `planner`."""
