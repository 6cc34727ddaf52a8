"""Checking a request's options, in the library's own words.

An option is named as the library's parameter (``teams``, ``date_to``, ``pemula_window``), never
as a command-line flag: the CLI maps the names to its flags when it prints (``InvalidOptions.renamed``).
Every problem of a request is collected and reported at once (``Checks``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from rekam.domain.region import InvalidRegionCode, parse_region
from rekam.errors import InvalidArgument
from rekam.messages import text

#: One problem: the option's name, the value given, and what would be accepted.
Problem = tuple[str, object, str]


class InvalidOptions(InvalidArgument):
    """Options of one request that cannot be used, every one of them; ``problems`` holds
    ``(option, value, hint)`` for each. Its key and parameters are the first problem's
    (``bad_option``), so a front end that shows one message still shows a true one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        option, value, hint = self.problems[0]
        super().__init__("bad_option", option=option, value=value, hint=hint)

    def __str__(self) -> str:
        return "\n".join(text("bad_option", option=o, value=v, hint=h) for o, v, h in self.problems)

    def renamed(self, names: Mapping[str, str]) -> InvalidOptions:
        """The same problems with the options named by ``names`` (e.g. the CLI's flags), in
        the option and in the hints that name another option."""
        if not names:
            return self
        pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")

        def swap(words: str) -> str:
            return pattern.sub(lambda m: names[m.group(1)], words)

        return InvalidOptions([(names.get(o, o), v, swap(h)) for o, v, h in self.problems])


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
