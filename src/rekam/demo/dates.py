"""Vectorised calendar arithmetic on day numbers (days since 1970-01-01, int64).

Rules from DESIGN.md: age is counted in completed years; a 29 February birthday falls on
1 March in common years.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import numpy as np
import pyarrow as pa

#: Marks "no date" in day-number arrays.
NONE = np.iinfo(np.int64).min
_EPOCH = date(1970, 1, 1)
_TABLE_START = date(1880, 1, 1)
_TABLE_END = date(2100, 12, 31)


def day(d: date) -> int:
    return (d - _EPOCH).days


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dt = days.astype("datetime64[D]")
    y = dt.astype("datetime64[Y]")
    m = dt.astype("datetime64[M]")
    year = y.astype(np.int64) + 1970
    month = (m - y.astype("datetime64[M]")).astype(np.int64) + 1
    dom = (dt - m.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, dom


def from_ymd(year: np.ndarray, month: np.ndarray, dom: np.ndarray) -> np.ndarray:
    """Day numbers; a day past the end of the month rolls into the next (29 Feb -> 1 Mar)."""
    months = (np.asarray(year, dtype=np.int64) - 1970) * 12 + (np.asarray(month, dtype=np.int64) - 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return first + np.asarray(dom, dtype=np.int64) - 1


def add_years(days: np.ndarray, n: int | np.ndarray) -> np.ndarray:
    """The n-th anniversary of each date (29 Feb -> 1 Mar in common years)."""
    year, month, dom = ymd(days)
    return from_ymd(year + n, month, dom)


def age_on(dob: np.ndarray, on: int) -> np.ndarray:
    """Age in completed years on day ``on``."""
    oy, om, od = ymd(np.array([on], dtype=np.int64))
    year, month, dom = ymd(dob)
    before = (month > om[0]) | ((month == om[0]) & (dom > od[0]))
    return oy[0] - year - before.astype(np.int64)


@lru_cache(maxsize=1)
def _dmy_table() -> tuple[int, pa.Array]:
    start = day(_TABLE_START)
    n = day(_TABLE_END) - start + 1
    days = np.arange(start, start + n, dtype=np.int64)
    y, m, d = ymd(days)
    text = [f"{dd:02d}-{mm:02d}-{yy:04d}" for yy, mm, dd in zip(y.tolist(), m.tolist(), d.tolist(), strict=True)]
    return start, pa.array(text + [""], type=pa.string())


@lru_cache(maxsize=1)
def _iso_table() -> tuple[int, pa.Array]:
    start = day(_TABLE_START)
    n = day(_TABLE_END) - start + 1
    days = np.arange(start, start + n, dtype=np.int64)
    text = np.datetime_as_string(days.astype("datetime64[D]")).tolist()
    return start, pa.array(text + [""], type=pa.string())


def _format(days: np.ndarray, table: tuple[int, pa.Array]) -> pa.Array:
    start, strings = table
    empty = len(strings) - 1
    idx = np.where(days == NONE, empty, days - start)
    if len(idx) and (idx.min() < 0 or idx.max() > empty):
        raise ValueError("date outside the supported range 1880-2100")
    return strings.take(pa.array(idx))


def format_dmy(days: np.ndarray) -> pa.Array:
    """DD-MM-YYYY strings (empty for NONE)."""
    return _format(days, _dmy_table())


def format_iso(days: np.ndarray) -> pa.Array:
    """YYYY-MM-DD strings (empty for NONE)."""
    return _format(days, _iso_table())
