"""KEWARGANEGARAAN labels on every engine (issue 15): an unrecognised label is an unknown coded
value like any other (blanked with warning INVALID_KEWARGANEGARAAN, row kept), and blank means
WNI, so nobody is silently removed from wajib. Figures worked out by hand."""

from __future__ import annotations

from datetime import date

from tests.conftest import person, write_register

# serial | KEWARGANEGARAAN         | permit | wajib | warning
TABLE = """
  1 | WNI                     |      | 1 | 0
  2 |                         |      | 1 | 0
  3 | WN INDONESIA            |      | 1 | 0
  4 | WN. Indonesia           |      | 1 | 0
  5 | WARGA NEGARA INDONESIA  |      | 1 | 0
  6 | Warganegara Indonesia   |      | 1 | 0
  7 | INDONESIA               |      | 1 | 0
  8 | W.N.I.                  |      | 1 | 0
  9 | 1                       |      | 1 | 0
 10 | WARGA NKRI              |      | 1 | 1
 11 | WNA                     |      | 0 | 0
 12 | WN ASING                |      | 0 | 0
 13 | WARGA NEGARA ASING      | ITAP | 1 | 0
 14 | 2                       | ITAS | 0 | 0
"""


def _rows() -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in TABLE.strip().splitlines()]


def test_citizenship_labels_by_hand(cli, tmp_path, engine):
    table = _rows()
    rows = [
        person(int(n), "1990-01-01", citizenship=label, permit=permit, status="CARD_ISSUED", recorded="2015-01-01")
        for n, label, permit, _, _ in table
    ]
    run = cli("import", write_register(tmp_path / "c.csv", rows), "--date", "2024-11-13", "--json")
    assert run.code == 0
    assert run.json()["accepted"] == len(table)
    assert run.json()["warnings"].get("INVALID_KEWARGANEGARAAN", 0) == sum(int(r[4]) for r in table) == 1
    [row] = engine.coverage(date(2024, 11, 13), level="kab")
    got = row.as_json()
    assert got["wajib"] == sum(int(r[3]) for r in table) == 11
    assert got["sudah_rekam"] == 11
