"""NIK and KK numbers, built vectorised as int64.

NIK (FACTS.md §2.1) = kecamatan of issue (6) + DDMMYY of birth, day + 40 for women (6) +
serial (4, from 0001). KK number = kecamatan (6) + issue date DDMMYY (6) + serial (4).

Uniqueness across the whole province, although each kab/kota is generated on its own: serials
0001-1999 are used for NIKs issued in the domicile kecamatan (only that kab/kota issues them);
NIKs issued elsewhere (another Sumbar kecamatan or another province) use a serial range that
belongs to the domicile kab/kota: 2000 + 350 * kab_index + rank. With several provinces
(``--provinces``) the same holds across Indonesia with the national kab/kota index (0-513) and
15 serials each: 2000 + 15 * index + rank.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from . import calibration, codes
from .dates import ymd
from .regions import kecamatan_of_province

HOME_SERIAL_MAX = 1999
FOREIGN_SERIAL_BASE = 2000
FOREIGN_SERIAL_SLOT = 350
# With several provinces (``--provinces``): 514 kab/kota x 15 serials fit in 2000-9709.
NATIONAL_FOREIGN_SLOT = 15


class SerialOverflow(ValueError):
    """Too many people share a NIK prefix and birth date for the serial scheme (scale too big)."""


def group_rank(key: np.ndarray) -> np.ndarray:
    """0-based rank of each element among the elements with the same key, in array order."""
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    new_group = np.ones(len(key), dtype=bool)
    new_group[1:] = sorted_key[1:] != sorted_key[:-1]
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(len(key)), 0))
    rank = np.empty(len(key), dtype=np.int64)
    rank[order] = np.arange(len(key)) - group_start
    return rank


def nik_date_part(dob: np.ndarray, sex: np.ndarray) -> np.ndarray:
    """DDMMYY with DD + 40 for women, as an int."""
    y, m, d = ymd(dob)
    d = d + np.where(sex == codes.PEREMPUAN, 40, 0)
    return d * 10000 + m * 100 + (y % 100)


@cache
def _kec6_of_province(province: str) -> np.ndarray:
    return np.array([int(c) for c in kecamatan_of_province(province)], dtype=np.int64)


def issue_prefixes(
    rng: np.random.Generator,
    hh: np.ndarray,
    age: np.ndarray,
    domicile_kec6: np.ndarray,
    all_sumbar_kec6: np.ndarray,
    other_provinces: dict[str, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Kecamatan of issue per person, and whether it is the domicile one.

    A household "moved in" some years ago (share chosen so that ~8 % of residents hold a NIK
    from elsewhere): its members born before the move keep the NIK of their old kecamatan,
    half another kecamatan of the province (``all_sumbar_kec6``: the domicile province's),
    half another province (``other_provinces``, default calibration.NIK_OTHER_PROVINCES).
    """
    n_hh = int(hh.max()) + 1 if len(hh) else 0
    moved = rng.random(n_hh) < calibration.NIK_OTHER_REGION_SHARE / 0.72
    years_ago = rng.random(n_hh) * 30.0
    other_province = rng.random(n_hh) < calibration.NIK_OTHER_PROVINCE_SHARE
    others = calibration.NIK_OTHER_PROVINCES if other_provinces is None else other_provinces
    provinces = list(others)
    weights = np.array([others[p] for p in provinces])
    prov_idx = rng.choice(len(provinces), size=n_hh, p=weights / weights.sum())
    pick = rng.random(n_hh)
    origin = all_sumbar_kec6[np.floor(pick * len(all_sumbar_kec6)).astype(np.int64)]
    for i, prov in enumerate(provinces):
        kecs = _kec6_of_province(prov)
        sel = other_province & (prov_idx == i)
        origin[sel] = kecs[np.floor(pick[sel] * len(kecs)).astype(np.int64)]
    foreign = moved[hh] & (age >= years_ago[hh])
    prefix = np.where(foreign, origin[hh], domicile_kec6)
    foreign &= prefix != domicile_kec6
    return prefix, ~foreign


def build_niks(
    prefix6: np.ndarray, date_part: np.ndarray, home: np.ndarray, kab_index: int, slot: int = FOREIGN_SERIAL_SLOT
) -> np.ndarray:
    """NIKs (int64) unique within the province given the serial scheme above (``slot``
    serials per kab/kota for NIKs issued elsewhere; NATIONAL_FOREIGN_SLOT with the national
    kab/kota index when several provinces are generated)."""
    key12 = prefix6.astype(np.int64) * 1_000_000 + date_part
    # rank separately for home-issued and elsewhere-issued NIKs (different serial ranges)
    rank = group_rank(key12 * 2 + (~home).astype(np.int64))
    serial = np.where(home, 1 + rank, FOREIGN_SERIAL_BASE + slot * kab_index + rank)
    if len(rank) and (rank[home].max(initial=0) >= HOME_SERIAL_MAX or rank[~home].max(initial=0) >= slot):
        raise SerialOverflow("too many residents share a NIK prefix and birth date; use a smaller scale")
    return key12 * 10_000 + serial


def build_kk_numbers(kec6: np.ndarray, issue_day: np.ndarray) -> np.ndarray:
    """KK numbers per household: domicile kecamatan + issue date + serial."""
    y, m, d = ymd(issue_day)
    key12 = kec6.astype(np.int64) * 1_000_000 + d * 10000 + m * 100 + (y % 100)
    rank = group_rank(key12)
    if len(rank) and rank.max() >= 9999:
        raise SerialOverflow("too many KK issued on one day in one kecamatan")
    return key12 * 10_000 + 1 + rank
