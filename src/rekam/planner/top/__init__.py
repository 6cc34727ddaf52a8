"""The Team Orienteering Problem (TOP): the benchmark the planner's solver was chosen on.

m teams leave a start point and must reach an end point within ``tmax``; each other point has
a score, collected once; maximise the total (Chao, Golden & Wasil 1996). The jemput-bola planner
(``rekam.planner``) is the same problem with dates, opening hours, kits and repeat visits.

- ``instance``: ``TopInstance`` and the benchmark text format (``read_top``);
- ``solve``: ``solve_top``, PyVRP's prize-collecting model;
- ``bound``: ``bound_top``, the smaller of two upper bounds: ``bound_flow`` (arc flow LP with
  connectivity cuts) and ``bound_routes`` (route set packing by column generation), over what
  both share (``relax``);
- ``check``: ``check_top`` and ``score_top``, the public feasibility checker;
- ``greedy``: ``nearest_first`` and ``biggest_first``, the baselines.

Nothing here reads rekam's register or sites: only ``rekam.errors``, numpy, PyVRP and HiGHS.
"""
