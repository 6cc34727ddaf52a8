"""Jemput-bola planning: which team visits which site on which day (issue #5, in progress).

So far: the classic Team Orienteering Problem (TOP), read from the standard benchmark text
format, solved with PyVRP, and checked by a public feasibility checker.
"""
