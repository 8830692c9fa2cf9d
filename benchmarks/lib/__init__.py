"""Code shared by the benchmark scripts of ``benchmarks/`` and their tests (``tests/bench``).

* :mod:`benchmarks.lib.campaign`: the campaign-instance benchmark (``benchmarks/campaign.py``);
* :mod:`benchmarks.lib.top`: the TOP / TOPTW reader and runner (``benchmarks/top.py``,
  ``benchmarks/toptw.py``);
* :mod:`benchmarks.lib.peers`: PyVRP, OR-Tools routing and a greedy baseline on the routing
  core's :class:`planner.orienteering.Problem`.

Not part of the installed package: run the scripts from the repository
(``python benchmarks/campaign.py ...``), or the tests, which put the repository on the path.
"""
