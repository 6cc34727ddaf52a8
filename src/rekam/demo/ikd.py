"""IKD (Identitas Kependudukan Digital) activation in the demo register (issue 19).

Who activated the digital ID, when, and which kab/kota's officer did it, for the residents who
recorded by the as-of date. Drawn from a random stream of its own, so that every other column
of the demo stays as it was.

Rates, as a share of the recorded, aimed at per kab/kota (``RATE_OF_RECORDED``):

- Kota Padang (13.71): 30 %. Source: Disdukcapil Padang reported 30.06 % (203,479 of 680,160
  recorded residents) in November 2024, the first in Indonesia to pass the 30 % target
  (issue 19).
- Kota Padang Panjang (13.74): 30.6 %. Source: 30.58 % reported for 2024; with Padang the only
  kab/kota of Sumatera Barat at the 2024 target (issue 19).
- The other kota: 18 %; the kabupaten: 10 %. Assumption: "most kab/kota lower" (issue 19),
  towns above the kabupaten (an urban population with smartphones; the same reason as below);
  Kaltara's 5.27 % of wajib (October 2025) is a low anchor we stay above.

Within a kab/kota (assumptions, as odds ratios on a logit scale, then the level is solved so
the kab/kota's expected rate among its recorded is the one above): ages 17-29 x 2.0, 60+ x 0.4
(the app needs a smartphone and an e-mail address); a kelurahan or a kota x 1.3.

The date of activation: uniform between the later of the recording date and 2023-01-01 (IKD
activation was pushed nationally from 2023, the year of its first 25 % target) and the as-of
date; a recording without a date: from 2023-01-01. The officer: 97 % the resident's own
kab/kota; 3 % another kab/kota of the province (assumption: activations during travel or
study; Denpasar's rule of not counting them is why they are kept apart).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .dates import NONE, day
from .recording import calibrate_level, logit, sigmoid

RATE_OF_RECORDED: dict[str, float] = {"13.71": 0.30, "13.74": 0.306}
KOTA_RATE = 0.18
KABUPATEN_RATE = 0.10
YOUNG_ODDS = 2.0  # ages 17-29
OLD_ODDS = 0.4  # 60 and over
URBAN_ODDS = 1.3
IKD_FROM = date(2023, 1, 1)
ELSEWHERE_SHARE = 0.03


@dataclass(frozen=True)
class Ikd:
    active: np.ndarray  # bool per resident
    activated_on: np.ndarray  # day number, NONE when not active
    by_kab: np.ndarray  # index into the province's kab/kota codes of the activating officer, -1 if none


def rate_for(kab_code: str, is_kota: bool) -> float:
    return RATE_OF_RECORDED.get(kab_code, KOTA_RATE if is_kota else KABUPATEN_RATE)


def assign_ikd(
    rng: np.random.Generator,
    kab_code: str,
    is_kota: bool,
    recorded: np.ndarray,
    tgl_rekam: np.ndarray,
    age: np.ndarray,
    urban: np.ndarray,
    as_of_day: int,
    own_kab: int,
    n_kab: int,
) -> Ikd:
    """Activation per resident (``recorded``: recorded by the as-of date)."""
    n = len(recorded)
    x = np.where(age < 30, np.log(YOUNG_ODDS), 0.0) + np.where(age >= 60, np.log(OLD_ODDS), 0.0)
    x = x + np.where(urban, np.log(URBAN_ODDS), 0.0)
    idx = np.flatnonzero(recorded)
    goal = rate_for(kab_code, is_kota)
    shift = calibrate_level(x[idx], goal) if len(idx) else float(logit(goal))
    active = np.zeros(n, dtype=bool)
    active[idx] = rng.random(len(idx)) < sigmoid(x[idx] + shift)
    chosen = np.flatnonzero(active)
    start = np.full(len(chosen), day(IKD_FROM), dtype=np.int64)
    dated = tgl_rekam[chosen] != NONE
    start[dated] = np.maximum(start[dated], tgl_rekam[chosen][dated])
    start = np.minimum(start, as_of_day)
    when = start + np.floor(rng.random(len(chosen)) * (as_of_day - start + 1)).astype(np.int64)
    activated_on = np.full(n, NONE, dtype=np.int64)
    activated_on[chosen] = when
    by_kab = np.full(n, -1, dtype=np.int64)
    by_kab[chosen] = own_kab
    away = chosen[rng.random(len(chosen)) < ELSEWHERE_SHARE]
    if n_kab > 1 and len(away):
        other = rng.integers(0, n_kab - 1, len(away))
        by_kab[away] = np.where(other >= own_kab, other + 1, other)
    return Ikd(active, activated_on, by_kab)
