"""Checking a request's options, in the library's own words.

An option is named as the library's parameter (``teams``, ``date_to``, ``pemula_window``), never
as a command-line flag: the CLI maps the names to its flags when it prints (``InvalidOptions.renamed``).
Every problem of a request is collected and reported at once (``Checks``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from rekam.domain.region import InvalidRegionCode, parse_region
from rekam.errors import InvalidArgument, InvalidOptions, Problem
from rekam.messages import text


class Checks:
    """Collects the problems of one request; ``done()`` raises them all together.

    >>> checks = Checks()
    >>> checks.require(teams >= 1, "teams", teams, ">= 1")
    >>> checks.done()
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def require(self, ok: bool, option: str, value: object, hint: str) -> None:
        if not ok:
            self.problems.append((option, value, hint))

    def add(self, option: str, value: object, hint: str) -> None:
        self.problems.append((option, value, hint))

    def done(self) -> None:
        if self.problems:
            raise InvalidOptions(self.problems)


def region_prefix(code: str | None) -> str | None:
    """The dotted form of a region code (``1371`` or ``13.71``), or None for all regions."""
    if code is None or not code.strip():
        return None
    try:
        return parse_region(code.strip()).dotted
    except InvalidRegionCode:
        raise InvalidArgument("bad_region", code=code) from None


def target_hundredths(target: float | str, checks: Checks | None = None) -> int:
    """A target percentage (99.4) as an exact number of hundredths of a percent (9940).
    A bad target is added to ``checks`` (then 0 is returned) or raised at once."""
    own = checks or Checks()
    try:
        value = Decimal(str(target))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        own.add("target", target, text("hint_target"))
    else:
        hundredths = value * 100
        if 0 <= value <= 100 and hundredths == hundredths.to_integral_value():
            return int(hundredths)
        own.add("target", target, text("hint_target"))
    if checks is None:
        own.done()
    return 0


def ikd_weight(value: object, checks: Checks | None = None) -> Decimal:
    """The ranking's IKD weight (``analytics.rank.ikd_weight_of``: 0 to 0.5, at most 2 decimals)
    as an exact decimal. A bad weight is added to ``checks`` (then 0 is returned) or raised at once."""
    from rekam.domain.weights import ikd_weight_of

    weight = ikd_weight_of(value)
    if weight is not None:
        return weight
    own = checks or Checks()
    own.add("ikd_weight", value, text("hint_ikd_weight"))
    if checks is None:
        own.done()
    return Decimal(0)


def require_out_folder(out: str | Path) -> None:
    """Refuse, before any work, an output file whose folder does not exist (the writers would
    fail half-way with their own error)."""
    folder = Path(out).parent
    if not folder.is_dir():
        raise InvalidArgument("out_folder_missing", folder=str(folder))
