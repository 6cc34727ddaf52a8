"""Figures computed from register snapshots. Each figure is defined once, in SQL."""
