"""The words of the review sheet's ``keputusan`` column (``review.parse_decision``)."""

from __future__ import annotations

import pytest

from rekam.linkage.review import choices, parse_decision


@pytest.mark.parametrize(
    ("word", "candidates", "chosen"),
    [
        ("cocok 1", 3, 1),
        ("Cocok  2", 3, 2),
        (" COCOK3 ", 3, 3),
        ("cocok 4", 3, 4),  # a candidate the row lacks: refused by the check, which knows the row
        ("match 2", 2, 2),
        ("bukan", 3, 0),
        ("Bukan ", 1, 0),
        ("no match", 2, 0),
        ("cocok", 1, 1),  # the only candidate
        ("cocok", 2, None),  # which one?
        ("ya", 2, None),
        ("cocok satu", 2, None),
        ("", 2, None),
    ],
)
def test_decision_words(word: str, candidates: int, chosen: int | None) -> None:
    assert parse_decision(word, candidates) == chosen


def test_every_drop_down_word_is_read_back() -> None:
    for n in (1, 2, 3):
        assert [parse_decision(w, n) for w in choices(n)] == [*range(1, n + 1), 0]
