"""Jemput-bola planning: which team visits which site on which day (issue #5).

Two problems, the same shape of modules:

======================  ==============================  ====================================
                        jemput bola (``rekam.planner``)  Team Orienteering (``planner.top``)
======================  ==============================  ====================================
the problem             ``scenario`` (``Scenario``)      ``top.instance`` (``TopInstance``)
solving it              ``solve`` (``solve_scenario``)   ``top.solve`` (``solve_top``)
an upper bound          ``bound`` (``bound_scenario``)   ``top.bound`` (``bound_top``)
the public checker      ``check`` (``check_plan``)       ``top.check`` (``check_top``)
greedy baselines        ``greedy`` (``greedy_plan``)     ``top.greedy`` (``nearest_first``...)
======================  ==============================  ====================================

Jemput bola also has ``plan`` (a plan's routes, stops and times), ``parts`` (teams with disjoint
regions, solved and bounded apart), ``fill`` (inserting visits; ruin and recreate) and
``highs`` (a quiet HiGHS solver, shared with ``top``). The TOP is the benchmark the solver was
chosen on (benchmarks/top_bench.py).

Layers: ``inputs`` is the one module that reads the register and the sites (``rekam plan
make`` and the by-name lists of a scenario's sites). Every other module here, the solver core,
imports nothing of rekam above ``domain`` (besides ``errors``) and no module of this package
imports ``inputs``.
"""
