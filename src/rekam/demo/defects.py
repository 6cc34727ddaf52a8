"""Defects injected into the register on purpose, with exact counts.

The importer must catch them (validation, quarantine) and the linkage/dedupe features must find
them. Each defect touches distinct rows; counts are planned up front for the whole province
(rate x residents, at least one of each) and split over the kab/kota files.

- ``nik_invalid``: NIK of the wrong length (15 or 17 digits) or with an impossible date part
  (month 00 or 13-19, or day 00 / 32-40 / 72-99).
- ``nik_duplicate``: a row that reuses the NIK of another person who comes earlier in file
  order, in the same file or (share NIK_DUPLICATE_CROSS_FILE_SHARE) in an earlier kab/kota
  file. Its other fields are its own.
- ``nik_birthdate_mismatch``: a valid NIK whose date part differs from TGL_LHR (the NIK was
  issued with a wrong birth date and never reissued, FACTS.md §2.2).
- ``birth_date_missing``: TGL_LHR empty.
- ``rekam_date_missing``: a recorded status (not UNREGISTERED) with TGL_REKAM empty.
"""

from __future__ import annotations

import numpy as np

from . import calibration

CODES = ("nik_invalid", "nik_duplicate", "nik_birthdate_mismatch", "birth_date_missing", "rekam_date_missing")


def plan_counts(
    rng: np.random.Generator, planned_sizes: list[int], rates: dict[str, float] | None = None
) -> dict[str, np.ndarray]:
    """Count of each defect per kab/kota (exact totals, at least one of each overall)."""
    rates = dict(calibration.DEFECT_RATES if rates is None else rates)
    sizes = np.asarray(planned_sizes, dtype=np.float64)
    total_people = int(sizes.sum())
    out = {}
    for code in CODES:
        total = max(1, int(round(rates.get(code, 0.0) * total_people))) if rates.get(code, 0.0) > 0 else 0
        out[code] = rng.multinomial(total, sizes / sizes.sum()) if total else np.zeros(len(sizes), dtype=np.int64)
    return out


def choose(rng: np.random.Generator, eligible: np.ndarray, count: int) -> np.ndarray:
    """``count`` distinct indices where ``eligible`` is true (fewer if not enough), sorted."""
    pool = np.flatnonzero(eligible)
    count = min(count, len(pool))
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    return np.sort(rng.choice(pool, size=count, replace=False))


def shift_birthdates(rng: np.random.Generator, dob: np.ndarray) -> np.ndarray:
    """Another plausible birth date for the NIK: 1-400 days off, either way."""
    delta = rng.integers(1, 401, len(dob)) * np.where(rng.random(len(dob)) < 0.5, -1, 1)
    return dob + delta


def invalid_niks(rng: np.random.Generator, niks: list[str], taken: set[str]) -> list[str]:
    """Corrupt each (valid, 16-digit) NIK; results are distinct from each other and ``taken``."""
    out: list[str] = []
    seen = set(taken)
    for nik in niks:
        for _ in range(100):
            kind = int(rng.integers(0, 6))
            if kind == 0:
                bad = nik[:15]
            elif kind == 1:
                bad = nik + str(int(rng.integers(0, 10)))
            elif kind in (2, 3):
                month = int(rng.choice([0, 13, 14, 15, 16, 17, 18, 19]))
                bad = nik[:8] + f"{month:02d}" + nik[10:]
            else:
                dd = int(rng.choice([0] + list(range(32, 41)) + list(range(72, 100))))
                bad = nik[:6] + f"{dd:02d}" + nik[8:]
            if bad not in seen:
                break
        seen.add(bad)
        out.append(bad)
    return out
