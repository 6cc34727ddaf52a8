"""Kemendagri region codes (kode wilayah): province, kab/kota, kecamatan, village.

Dotted form ``13.71.01.1001`` (prov.kab.kec.desa), plain form ``1371011001``. Kab/kota
codes of 71 and up are kota. The first digit of the 4-digit village part is 1 for a
kelurahan, 2 for a desa (a nagari in Sumatera Barat) and 3 for a desa adat.
Source: cahyadsn/wilayah README.md (codification of Permendagri 58/2021), via
shared/domain/FACTS.md section 2.1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Level = Literal["prov", "kab", "kec", "desa"]
VillageKind = Literal["kelurahan", "desa", "desa_adat"]

# The 38 current province codes (Kemendagri). Source: cahyadsn/wilayah db/wilayah.sql
# (Kepmendagri 300.2.2-2138/2025): 11-19, 21, 31-36, 51-53, 61-65, 71-76, 81-82, 91-96.
# 97 is not a province code (there are six Papuan provinces, 91-96).
PROVINCE_CODES: frozenset[str] = frozenset(
    [f"{n}" for n in range(11, 20)]
    + ["21"]
    + [f"{n}" for n in range(31, 37)]
    + [f"{n}" for n in range(51, 54)]
    + [f"{n}" for n in range(61, 66)]
    + [f"{n}" for n in range(71, 77)]
    + ["81", "82"]
    + [f"{n}" for n in range(91, 97)]
)

LEVELS: tuple[Level, ...] = ("prov", "kab", "kec", "desa")
_WIDTHS = (2, 2, 2, 4)
_PLAIN_LEVEL = {2: 1, 4: 2, 6: 3, 10: 4}
_DIGITS = re.compile(r"[0-9]+")
_VILLAGE_KINDS: dict[str, VillageKind] = {
    "1": "kelurahan",
    "2": "desa",
    "3": "desa_adat",
}


class InvalidRegionCode(ValueError):
    """A string or parts that do not form a Kemendagri region code."""


def _part(value: int | str, width: int, name: str) -> str:
    text = str(value).strip()
    if isinstance(value, bool) or not _DIGITS.fullmatch(text) or len(text) > width:
        raise InvalidRegionCode(f"{name} part must be at most {width} digits: {value!r}")
    text = text.zfill(width)
    if int(text) == 0:
        raise InvalidRegionCode(f"{name} part must not be zero: {value!r}")
    return text


@dataclass(frozen=True)
class RegionCode:
    """A region code; the parts are zero-padded digit strings, deeper parts None."""

    prov: str
    kab: str | None = None
    kec: str | None = None
    desa: str | None = None

    def __post_init__(self) -> None:
        depth = len(self.parts)
        if any(p is not None for p in (self.kab, self.kec, self.desa)[depth - 1 :]):
            raise InvalidRegionCode("a region code cannot skip a level")
        for part, width, level in zip(self.parts, _WIDTHS, LEVELS, strict=False):
            if not isinstance(part, str) or len(part) != width or not _DIGITS.fullmatch(part) or int(part) == 0:
                raise InvalidRegionCode(f"{level} part must be {width} digits, not zero")
        if self.prov not in PROVINCE_CODES:
            raise InvalidRegionCode(f"unknown province code {self.prov}")
        if self.desa is not None and self.desa[0] == "0":
            raise InvalidRegionCode("village part must not start with 0")

    @classmethod
    def from_parts(
        cls,
        prov: int | str,
        kab: int | str | None = None,
        kec: int | str | None = None,
        desa: int | str | None = None,
    ) -> RegionCode:
        """Build from separate parts, padding missing leading zeros ("1" -> "01")."""
        given: list[int | str] = []
        for value in (prov, kab, kec, desa):
            if value is None or value == "":
                break
            given.append(value)
        if not given:
            raise InvalidRegionCode("the province part is required")
        if any(v is not None and v != "" for v in (prov, kab, kec, desa)[len(given) :]):
            raise InvalidRegionCode("a region code cannot skip a level")
        parts = [_part(v, w, n) for v, w, n in zip(given, _WIDTHS, LEVELS, strict=False)]
        return cls(*parts)

    @property
    def parts(self) -> tuple[str, ...]:
        """The non-empty parts, from province down."""
        out = [self.prov]
        for p in (self.kab, self.kec, self.desa):
            if p is None:
                break
            out.append(p)
        return tuple(out)

    @property
    def level(self) -> Level:
        return LEVELS[len(self.parts) - 1]

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)

    @property
    def plain(self) -> str:
        return "".join(self.parts)

    @property
    def is_kota(self) -> bool:
        """True for a kota (kab/kota part 71 or more) or a region inside one."""
        return self.kab is not None and int(self.kab) >= 71

    @property
    def village_kind(self) -> VillageKind | None:
        """kelurahan / desa / desa_adat for a village code, else None."""
        if self.desa is None:
            return None
        return _VILLAGE_KINDS.get(self.desa[0])

    @property
    def parent(self) -> RegionCode | None:
        """The region one level up (None for a province)."""
        parts = self.parts
        if len(parts) == 1:
            return None
        return RegionCode(*parts[:-1])

    def at_level(self, level: Level) -> RegionCode:
        """This region or its ancestor at ``level``; ValueError if deeper than self."""
        depth = LEVELS.index(level) + 1
        if depth > len(self.parts):
            raise ValueError(f"{self.dotted} has no {level} part")
        return RegionCode(*self.parts[:depth])

    def contains(self, other: RegionCode) -> bool:
        """True when ``other`` is this region or lies inside it."""
        mine = self.parts
        return other.parts[: len(mine)] == mine

    def __str__(self) -> str:
        return self.dotted


def parse_region(s: str) -> RegionCode:
    """Parse ``13.71.01.1001`` (dotted; parts may lack leading 0s) or ``1371011001``."""
    if not isinstance(s, str):
        raise InvalidRegionCode(f"not a region code: {s!r}")
    text = s.strip()
    if "." in text:
        pieces = text.split(".")
        if len(pieces) > 4 or any(p == "" for p in pieces):
            raise InvalidRegionCode(f"not a region code: {s!r}")
        return RegionCode.from_parts(*pieces)
    depth = _PLAIN_LEVEL.get(len(text))
    if depth is None or not _DIGITS.fullmatch(text):
        raise InvalidRegionCode(f"not a region code: {s!r}")
    bounds = (0, 2, 4, 6, 10)
    return RegionCode(*(text[bounds[i] : bounds[i + 1]] for i in range(depth)))


def region_int(code: RegionCode | str) -> int:
    """The plain digits as an integer (13.71.01.1001 -> 1371011001), for fast keys."""
    region = code if isinstance(code, RegionCode) else parse_region(code)
    return int(region.plain)


def within(code: str, scope: str | None) -> bool:
    """True when region ``code`` lies in region ``scope`` (None: the country); False for a code
    that is not one (what the scope rules of ops, the import and the quarantine share)."""
    if scope is None:
        return True
    try:
        return parse_region(scope).contains(parse_region(code))
    except InvalidRegionCode:
        return False
