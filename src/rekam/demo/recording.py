"""KTP-el recording: who has recorded, when, and where each card is in the KTP-el pipeline.

Model (parameters and sources in calibration.py):

1. Who may record: WNI, or WNA with ITAP, aged 16+ or ever married.
2. Probability of having recorded by the as-of date: a logistic model. Each desa deviates
   from its kab/kota (Beta spread, lower in remote desa); age, disability, vulnerable group
   and ITAP shift the log-odds; the kab/kota level is then solved so that the expected
   coverage of its wajib KTP-el equals calibration.COVERAGE_TARGET. 16-year-olds record early
   only sometimes (more often those who turn 17 by an election day in the next
   PEMULA_PUSH_DAYS).
3. Recording date: on/after the 16th birthday and the 2011 roll-out, on/before the as-of date;
   drawn from a monthly intensity curve with surges before the 2019 and 2024 elections, or (for
   young people) soon after they become eligible.
4. Outcome: a few fail at the centre (ENROLL_/SEARCH_FAILURE_AT_CENTRAL: counted as not
   recorded) or are duplicates (DUPLICATE_RECORD: recorded, never printed); the rest are
   printed unless still waiting (BIO_CAPTURED, SENT_FOR_ENROLLMENT, PRINT_READY_RECORD;
   recent recordings wait more often). A card is printed on/after the recording and not before
   17 unless married.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import calibration, codes
from .dates import NONE, add_years, day


@dataclass
class Recording:
    status: np.ndarray  # STATUS_KTP_EL code
    tgl_rekam: np.ndarray  # day number or NONE
    tgl_cetak: np.ndarray  # day number or NONE


def logit(p: np.ndarray | float) -> np.ndarray:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def desa_logits(rng: np.random.Generator, kab_code: str, remote: np.ndarray) -> np.ndarray:
    """Each desa's deviation (log-odds) from its kab/kota's level of recording.

    A desa's rate for a core adult is Beta-distributed around a typical core rate (the
    kab/kota target plus CORE_LOGIT_SHIFT); remote desa are lower. The kab/kota level itself
    is set later so that coverage lands on the target (``assign_recording``).
    """
    target = calibration.coverage_target(kab_code)
    core = float(sigmoid(logit(target) + calibration.CORE_LOGIT_SHIFT))
    k = calibration.DESA_BETA_CONCENTRATION
    p = np.clip(rng.beta(core * k, (1 - core) * k, len(remote)), 0.5, 0.9999)
    return logit(p) - logit(core) + np.where(remote, calibration.REMOTE_LOGIT, 0.0)


def calibrate_level(x: np.ndarray, goal: float) -> float:
    """The shift d such that mean(sigmoid(x + d)) == goal (bisection)."""
    if len(x) == 0:
        return 0.0
    lo, hi = -20.0, 20.0
    for _ in range(50):
        mid = (lo + hi) / 2
        if float(sigmoid(x + mid).mean()) < goal:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _age_offset(age: np.ndarray) -> np.ndarray:
    out = np.zeros(len(age))
    for threshold, value in calibration.AGE_LOGIT:
        out[age >= threshold] = value
    out[age < 17] = calibration.AGE_LOGIT[0][1]  # married under 17: like a 17-year-old
    return out


@lru_cache(maxsize=8)
def _intensity_cdf(as_of_day: int) -> tuple[int, np.ndarray]:
    """Cumulative recording intensity per day from the roll-out to the as-of date."""
    start = day(calibration.RECORDING_START)
    n = max(as_of_day - start + 1, 1)
    days = np.arange(start, start + n)
    intensity = np.zeros(n)
    for since, value in calibration.RECORDING_INTENSITY:
        intensity[days >= day(since)] = value
    return start, np.cumsum(intensity)


def _draw_from_curve(rng: np.random.Generator, lo: np.ndarray, as_of_day: int) -> np.ndarray:
    start, cdf = _intensity_cdf(as_of_day)
    lo_idx = np.clip(lo - start, 0, len(cdf) - 1)
    c_lo = np.where(lo_idx > 0, cdf[np.maximum(lo_idx - 1, 0)], 0.0)
    c_hi = cdf[-1]
    u = c_lo + rng.random(len(lo)) * (c_hi - c_lo)
    idx = np.searchsorted(cdf, u, side="left")
    return start + np.clip(np.maximum(idx, lo_idx), 0, len(cdf) - 1)


def _print_delay_mean(rekam: np.ndarray) -> np.ndarray:
    out = np.full(len(rekam), calibration.PRINT_DELAY_MEAN[0][1])
    for since, mean in calibration.PRINT_DELAY_MEAN:
        out[rekam >= day(since)] = mean
    return out


def assign_recording(
    rng: np.random.Generator,
    *,
    age: np.ndarray,
    dob: np.ndarray,
    married: np.ndarray,
    wna: np.ndarray,
    izin: np.ndarray,
    disability: np.ndarray,
    rentan: np.ndarray,
    desa_logit: np.ndarray,
    target: float,
    as_of_day: int,
) -> Recording:
    """Statuses and dates; ``target`` is the expected coverage of the wajib KTP-el."""
    n = len(age)
    status = np.full(n, codes.UNREGISTERED, dtype=np.int8)
    tgl_rekam = np.full(n, NONE, dtype=np.int64)
    tgl_cetak = np.full(n, NONE, dtype=np.int64)
    start = day(calibration.RECORDING_START)
    if as_of_day <= start or n == 0:
        return Recording(status, tgl_rekam, tgl_cetak)

    sixteenth = add_years(dob, 16)
    seventeenth = add_years(dob, 17)
    allowed = ((wna == 0) | (izin == codes.ITAP)) & ((age >= 16) | married) & (sixteenth <= as_of_day)

    x = desa_logit + _age_offset(age)
    x += np.where(
        disability == 4,
        calibration.DISABILITY_MENTAL_LOGIT,
        np.where(disability > 0, calibration.DISABILITY_LOGIT, 0.0),
    )
    x += np.where(rentan > 0, calibration.RENTAN_LOGIT, 0.0)
    x += np.where(izin == codes.ITAP, calibration.WNA_ITAP_LOGIT, 0.0)
    wajib = allowed & ((age >= 17) | married)
    p_fail = calibration.P_ENROLL_FAILURE + calibration.P_SEARCH_FAILURE
    x += calibrate_level(x[wajib], min(target / (1.0 - p_fail), 0.9999))
    p = sigmoid(x)
    early = (age == 16) & ~married
    upcoming = [day(e) for e in calibration.ELECTION_DAYS if 0 <= day(e) - as_of_day <= calibration.PEMULA_PUSH_DAYS]
    pemula = seventeenth <= upcoming[0] if upcoming else np.zeros(n, dtype=bool)
    p = np.where(early, np.where(pemula, calibration.P_RECORD_AGE16_PEMULA, calibration.P_RECORD_AGE16), p)
    attempted = allowed & (rng.random(n) < p)

    # --- when ---------------------------------------------------------------------------
    idx = np.flatnonzero(attempted)
    lo = np.maximum(sixteenth[idx], start)
    when = _draw_from_curve(rng, lo, as_of_day)
    young = sixteenth[idx] > start + 120
    prompt = young & (rng.random(len(idx)) < calibration.PROMPT_SHARE)
    base = np.maximum(seventeenth[idx] - np.floor(rng.random(len(idx)) * 300).astype(np.int64), lo)
    delay = np.floor(rng.gamma(2.0, calibration.PROMPT_DELAY_DAYS / 2.0, len(idx))).astype(np.int64)
    prompt_date = base + delay
    when = np.where(prompt & (prompt_date <= as_of_day), prompt_date, when)
    when = np.clip(when, lo, as_of_day)
    tgl_rekam[idx] = when

    # --- outcome ------------------------------------------------------------------------
    u = rng.random(len(idx))
    p_enroll, p_search, p_dup = (
        calibration.P_ENROLL_FAILURE,
        calibration.P_SEARCH_FAILURE,
        calibration.P_DUPLICATE_RECORD,
    )
    outcome = np.full(len(idx), -1, dtype=np.int8)
    outcome[u < p_enroll + p_search + p_dup] = codes.DUPLICATE_RECORD
    outcome[u < p_enroll + p_search] = codes.SEARCH_FAILURE_AT_CENTRAL
    outcome[u < p_enroll] = codes.ENROLL_FAILURE_AT_CENTRAL

    ok = outcome < 0
    recent = when >= as_of_day - calibration.RECENT_DAYS
    waiting_p = np.array(
        [
            [calibration.P_WAITING_OLD[k] for k in ("BIO_CAPTURED", "SENT_FOR_ENROLLMENT", "PRINT_READY_RECORD")],
            [calibration.P_WAITING_RECENT[k] for k in ("BIO_CAPTURED", "SENT_FOR_ENROLLMENT", "PRINT_READY_RECORD")],
        ]
    )
    cum = np.cumsum(waiting_p, axis=1)[recent.astype(np.int64)]
    w = rng.random(len(idx))
    waiting = np.select(
        [w < cum[:, 0], w < cum[:, 1], w < cum[:, 2]],
        [codes.BIO_CAPTURED, codes.SENT_FOR_ENROLLMENT, codes.PRINT_READY_RECORD],
        default=-1,
    ).astype(np.int8)
    outcome = np.where(ok & (waiting >= 0), waiting, outcome)

    # printing: not before 17 unless married
    to_print = outcome < 0
    printable_from = np.where(married[idx], when, np.maximum(when, seventeenth[idx]))
    print_delay = np.floor(rng.exponential(_print_delay_mean(when))).astype(np.int64)
    cetak = printable_from + print_delay
    printed = to_print & (cetak <= as_of_day)
    outcome = np.where(to_print & ~printed, codes.PRINT_READY_RECORD, outcome)
    recent_print = cetak >= as_of_day - 30
    p_issued = np.where(recent_print, 0.5, calibration.P_CARD_ISSUED_GIVEN_PRINTED)
    issued = rng.random(len(idx)) < p_issued
    outcome = np.where(printed, np.where(issued, codes.CARD_ISSUED, codes.CARD_PRINTED), outcome)

    status[idx] = outcome
    tgl_cetak[idx[printed]] = cetak[printed]
    return Recording(status, tgl_rekam, tgl_cetak)


def is_recorded(status: np.ndarray) -> np.ndarray:
    return np.isin(status, list(codes.RECORDED_STATUSES))
