"""Record linkage: outside lists matched to the register with Splink (issue #6).

    prepare.py   the register and a list as Splink input frames (names via domain.names)
    model.py     comparisons with fixed m/u priors, blocking rules, thresholds
    match.py     match_list: one row per list row (list_id, match_nik, probability, decision)
    run.py       a whole run (match or dedupe): the result file, its summary sheet, the audit entry

Splink is imported when a match runs, not with ``rekam``.
"""
