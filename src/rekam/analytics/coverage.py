"""Recording coverage per region as of a date, with the election-day cohorts.

Every count is defined once, in ``FIGURES_SQL`` (DuckDB's dialect, transpiled for Spark): one
query counts per desa, sex and age band, and Python adds the small result up to every level
(the measured rule: aggregate per desa, roll the small result up). Definitions (DESIGN.md,
FACTS.md section 1; dates as cutoffs, one per query, never an age per row):

- wajib: WNI, or WNA with ITAP, born on or before the as-of date D, and 17 or older on D or
  ever married by D (from TGL_KWN when known, else the current marital status).
- sudah_rekam: wajib and recorded on or before D (a recorded person with no TGL_REKAM
  counts from the snapshot's export date on, or on every date with
  ``undated_recorded_always``: how progress reads the state at the start of a period from the
  current snapshot, so that an undated recording never counts as made during the period).
  A 16-year-old who recorded early counts once wajib.
- sudah_rekam_tanpa_tanggal: those of sudah_rekam without TGL_REKAM (shown by progress as
  ``recorded_undated``; not in ``CoverageRow.as_json``).
- belum_rekam = wajib - sudah_rekam; it includes perlu_rekam_ulang (failed enrolments).
- coverage_pct = 100 * sudah_rekam / wajib (2 decimals, null when wajib is 0).
- target_gap = max(0, ceil(target * wajib / 100) - sudah_rekam), exact (target in hundredths).
- belum_cetak: wajib, recorded by D, printable (passed the centre's deduplication:
  PRINT_READY_RECORD, or a card printed after D), card not printed by D: what the Dinas can
  print (FACTS.md section 3.3; ``rekam.domain.recording.print_stage``).
- sudah_cetak: wajib, recorded by D, card printed by D.
- menunggu_pusat: wajib, recorded by D, not yet printable (BIO_CAPTURED ... ADJUDICATE_RECORD,
  a bare SUDAH REKAM): waiting at the centre, not the Dinas's backlog.
- prr: wajib, recorded by D, status PRINT_READY_RECORD. duplikat: wajib, DUPLICATE_RECORD.
- For election day E: pemula = a voter on E (WNI, 17 or ever married by E) who was not a voter
  on the window's start S (17 by S, or married on a known TGL_KWN by S; an undated marriage
  never counts on S); S is a date (``--since-election``) or E minus whole years;
  akan_wajib = not wajib on D, wajib on E; each with its *_belum_rekam (not recorded by D).
- rentan_wajib: wajib and disabled (PNYDNG_CCT), in a Permendagri 96/2019 group, or 60+ on D.
- Deactivation date (Permendagri 95/2019 Pasal 96): 5 years after becoming wajib, i.e. the 22nd
  birthday, or TGL_KWN + 5 years when married before 17 (``domain.eligibility.deactivation_date``).
  risiko_nonaktif: wajib, not recorded by D, deactivation date in (D, D + 12 months];
  nonaktif: wajib, not recorded by D, deactivation date on or before D (a SIAK follow-up).
- by_sex and by_age_band (17-20, 21-29, 30-44, 45-59, 60+ on D; married under-17s are in
  17-20): wajib, sudah_rekam and ikd_aktif each.
- IKD (the digital ID, issue 19; docs/analytics.md "IKD"): ikd_aktif = wajib, recorded by D,
  STATUS_IKD activated with TGL_AKTIVASI_IKD on or before D (no date: from the export date on),
  attributed to the domicile wherever the activation was made; ikd_aktif_luar = those of
  ikd_aktif activated by another kab/kota's officer (KAB_AKTIVASI_IKD), counted apart;
  ikd_tanpa_rekam = marked activated but not recorded by D: a data-quality case, never an
  activation. ikd_pct = 100 * ikd_aktif / the basis (``wajib``, the default, or
  ``sudah_rekam``); ikd_gap = max(0, ceil(target * basis / 100) - ikd_aktif), the target
  30 % by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import numpy as np

from rekam.analytics.engines import Engine
from rekam.domain.dates import birth_cutoff
from rekam.domain.eligibility import PemulaWindow, deactivated_by_cutoffs, nonaktif_window_end, pemula_start
from rekam.domain.recording import PrintStage, stage_sql
from rekam.register import gazetteer

Level = Literal["prov", "kab", "kec", "desa"]
IkdBasis = Literal["wajib", "sudah_rekam"]
IKD_BASES: tuple[IkdBasis, ...] = ("wajib", "sudah_rekam")
#: The national IKD target since 2024 (30 %; 25 % in 2023), in hundredths of a percent.
IKD_TARGET_HUNDREDTHS = 3000
LEVELS: tuple[Level, ...] = ("prov", "kab", "kec", "desa")
AGE_BANDS: tuple[str, ...] = ("17-20", "21-29", "30-44", "45-59", "60+")
SEXES: tuple[str, ...] = ("L", "P")

# The counted figures, in the order FIGURES_SQL returns them after (desa, sex, band).
COUNTS: tuple[str, ...] = (
    "wajib",
    "sudah_rekam",
    "perlu_rekam_ulang",
    "belum_cetak",
    "prr",
    "duplikat",
    "sudah_cetak",
    "menunggu_pusat",
    "pemula",
    "pemula_belum_rekam",
    "akan_wajib",
    "akan_wajib_belum_rekam",
    "rentan_wajib",
    "rentan_belum_rekam",
    "risiko_nonaktif",
    "nonaktif",
    "sudah_rekam_tanpa_tanggal",
    "ikd_aktif",
    "ikd_aktif_luar",
    "ikd_tanpa_rekam",
)
#: Counted for other figures (progress), not shown with coverage.
_NOT_SHOWN = ("sudah_rekam_tanpa_tanggal",)
_ELECTION = ("pemula", "pemula_belum_rekam", "akan_wajib", "akan_wajib_belum_rekam")


def _d(day: date) -> str:
    return f"DATE '{day.isoformat()}'"


def _wajib(on: date) -> str:
    return (
        f"(citizenship = 'WNI' OR stay_permit = 'ITAP') AND birth_date <= {_d(on)} "
        f"AND (birth_date <= {_d(birth_cutoff(on, 17))} OR ever_married_since <= {_d(on)})"
    )


def _deactivated_by(on: date) -> str:
    """Deactivation date (``domain.eligibility.deactivation_date``) on or before ``on``."""
    born, married = deactivated_by_cutoffs(on)
    return (
        f"(birth_date <= {_d(born)} OR coalesce(ever_married_since > DATE '0001-01-01' "
        f"AND ever_married_since <= {_d(married)}, false))"
    )


def _voter_at_window_start(start: date) -> str:
    """17 on ``start`` or married on a known TGL_KWN by then (``eligibility._voter_on_start``)."""
    return (
        f"(birth_date <= {_d(birth_cutoff(start, 17))} OR coalesce(ever_married_since > DATE '0001-01-01' "
        f"AND ever_married_since <= {_d(start)}, false))"
    )


def definitions(
    as_of: date, election_day: date | None, pemula_window: PemulaWindow, undated_recorded_always: bool = False
) -> tuple[dict[str, str], dict[str, str]]:
    """The per-person flags (name -> SQL condition) and each count as a formula of flags.
    ``undated_recorded_always``: a recorded person without TGL_REKAM is recorded on every
    date (by default: from the export date of their snapshot part on)."""
    d = _d(as_of)
    undated = "recorded_on IS NULL" if undated_recorded_always else f"(recorded_on IS NULL AND export_date <= {d})"
    e = election_day or as_of
    start = pemula_start(e, pemula_window if election_day else 1)
    c60 = _d(birth_cutoff(as_of, 60))
    flags = {
        "w": _wajib(as_of),
        "r": f"recording_state = 'SUDAH_REKAM' AND (recorded_on <= {d} OR {undated})",
        "nd": "recorded_on IS NULL",
        "u": "recording_state = 'PERLU_REKAM_ULANG'",
        "c": f"printed AND (printed_on IS NULL OR printed_on <= {d})",
        "pr": f"({stage_sql(PrintStage.SIAP_CETAK)} OR {stage_sql(PrintStage.SUDAH_CETAK)})",
        "mp": stage_sql(PrintStage.MENUNGGU_PUSAT),
        "prr": "ktp_status = 'PRINT_READY_RECORD'",
        "dup": "ktp_status = 'DUPLICATE_RECORD'",
        "pem": f"citizenship = 'WNI' AND birth_date <= {_d(e)} "
        f"AND (birth_date <= {_d(birth_cutoff(e, 17))} OR coalesce(ever_married_since <= {_d(e)}, false)) "
        f"AND NOT {_voter_at_window_start(start)}",
        "we": _wajib(e),
        "ren": f"disability > 0 OR vulnerable_group IS NOT NULL OR birth_date <= {c60}",
        "dn": _deactivated_by(as_of),
        "dw": _deactivated_by(nonaktif_window_end(as_of)),
        # IKD (issue 19): activated by D (an activation without a date counts from the export
        # date on, like an undated recording); activated by another kab/kota than the domicile.
        "ikd": f"ikd_status = 'AKTIF' AND (ikd_activated_on <= {d} "
        f"OR (ikd_activated_on IS NULL AND export_date <= {d}))",
        "ikdl": "ikd_kab_code IS NOT NULL AND ikd_kab_code <> kab_code",
    }
    counts = {
        "wajib": "w",
        "sudah_rekam": "w AND r",
        "perlu_rekam_ulang": "w AND u",
        "belum_cetak": "w AND r AND pr AND NOT c",
        "prr": "w AND r AND prr",
        "duplikat": "w AND dup",
        "sudah_cetak": "w AND r AND c",
        "menunggu_pusat": "w AND r AND mp",
        "pemula": "pem",
        "pemula_belum_rekam": "pem AND NOT r",
        "akan_wajib": "NOT w AND we",
        "akan_wajib_belum_rekam": "NOT w AND we AND NOT r",
        "rentan_wajib": "w AND ren",
        "rentan_belum_rekam": "w AND ren AND NOT r",
        "risiko_nonaktif": "w AND NOT r AND dw AND NOT dn",
        "nonaktif": "w AND NOT r AND dn",
        "sudah_rekam_tanpa_tanggal": "w AND r AND nd",
        "ikd_aktif": "w AND r AND ikd",
        "ikd_aktif_luar": "w AND r AND ikd AND ikdl",
        "ikd_tanpa_rekam": "ikd AND NOT r",
    }
    assert tuple(counts) == COUNTS
    return flags, counts


def figures_sql(
    as_of: date,
    election_day: date | None,
    pemula_window: PemulaWindow,
    region_prefix: str | None,
    undated_recorded_always: bool = False,
) -> str:
    """One query: every count per (desa id, sex, age band index), in DuckDB's dialect."""
    flags, counts = definitions(as_of, election_day, pemula_window, undated_recorded_always)
    where = f"WHERE desa_code = '{region_prefix}' OR desa_code LIKE '{region_prefix}.%'" if region_prefix else ""
    c21, c30, c45, c60 = (_d(birth_cutoff(as_of, n)) for n in (21, 30, 45, 60))
    cols = ",\n    ".join(f"coalesce({cond}, false) AS {name}" for name, cond in flags.items())
    sums = ",\n  ".join(f"count_if({cond}) AS {name}" for name, cond in counts.items())
    # Integer group keys (desa_id, band index) hash faster than the dotted code and labels.
    return f"""
WITH p AS (
  SELECT desa_id, sex,
    CASE WHEN birth_date > {c21} THEN 0 WHEN birth_date > {c30} THEN 1
         WHEN birth_date > {c45} THEN 2 WHEN birth_date > {c60} THEN 3 ELSE 4 END AS band,
    {cols}
  FROM register {where}
)
SELECT desa_id, sex, band,
  {sums}
FROM p
GROUP BY desa_id, sex, band
"""


@dataclass
class CoverageRow:
    region_code: str
    region_name: str | None
    level: Level
    counts: dict[str, int]
    target_hundredths: int
    election: bool
    by_sex: dict[str, dict[str, int]] = field(default_factory=dict)
    by_age_band: dict[str, dict[str, int]] = field(default_factory=dict)
    ikd_target_hundredths: int = IKD_TARGET_HUNDREDTHS
    ikd_basis: IkdBasis = "wajib"

    @property
    def wajib(self) -> int:
        return self.counts["wajib"]

    @property
    def sudah_rekam(self) -> int:
        return self.counts["sudah_rekam"]

    @property
    def belum_rekam(self) -> int:
        return self.wajib - self.sudah_rekam

    @property
    def perlu_rekam_ulang(self) -> int:
        return self.counts["perlu_rekam_ulang"]

    @property
    def sudah_rekam_tanpa_tanggal(self) -> int:
        return self.counts["sudah_rekam_tanpa_tanggal"]

    @property
    def coverage_pct(self) -> float | None:
        return percent(self.sudah_rekam, self.wajib)

    @property
    def target_gap(self) -> int:
        return target_gap(self.wajib, self.sudah_rekam, self.target_hundredths)

    @property
    def ikd_aktif(self) -> int:
        return self.counts["ikd_aktif"]

    @property
    def ikd_base(self) -> int:
        """The IKD figure's denominator: wajib or sudah_rekam (``ikd_basis``)."""
        return self.wajib if self.ikd_basis == "wajib" else self.sudah_rekam

    @property
    def ikd_pct(self) -> float | None:
        return percent(self.ikd_aktif, self.ikd_base)

    @property
    def ikd_gap(self) -> int:
        return target_gap(self.ikd_base, self.ikd_aktif, self.ikd_target_hundredths)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "region_code": self.region_code,
            "region_name": self.region_name,
            "level": self.level,
            "wajib": self.wajib,
            "sudah_rekam": self.sudah_rekam,
            "belum_rekam": self.belum_rekam,
            "perlu_rekam_ulang": self.perlu_rekam_ulang,
            "coverage_pct": self.coverage_pct,
            "target_gap": self.target_gap,
        }
        for key in COUNTS[3:]:
            if key in _NOT_SHOWN:
                continue
            out[key] = self.counts[key] if self.election or key not in _ELECTION else None
        out["ikd_pct"] = self.ikd_pct
        out["ikd_gap"] = self.ikd_gap
        out["ikd_basis"] = self.ikd_basis
        out["ikd_target_pct"] = self.ikd_target_hundredths / 100
        out["by_sex"] = self.by_sex
        out["by_age_band"] = self.by_age_band
        return out


def percent(part: int, whole: int) -> float | None:
    if whole == 0:
        return None
    value = Decimal(100 * part) / Decimal(whole)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def target_gap(wajib: int, sudah: int, target_hundredths: int) -> int:
    """max(0, ceil(target * wajib / 100) - sudah), in integers (target in hundredths of a %)."""
    needed = -(-(target_hundredths * wajib) // 10_000)
    return max(0, needed - sudah)


def desa_code(desa_id: int) -> str:
    """The dotted code of a desa id: 1371011001 -> 13.71.01.1001."""
    s = str(desa_id).zfill(10)
    return f"{s[:2]}.{s[2:4]}.{s[4:6]}.{s[6:]}"


def _parent(desa: str, level: Level) -> str:
    return ".".join(desa.split(".")[: LEVELS.index(level) + 1])


def coverage_levels(
    engine: Engine,
    as_of: date,
    levels: tuple[Level, ...],
    region_prefix: str | None = None,
    election_day: date | None = None,
    target_hundredths: int = 9940,
    pemula_window: PemulaWindow = 1,
    undated_recorded_always: bool = False,
    ikd_target_hundredths: int = IKD_TARGET_HUNDREDTHS,
    ikd_basis: IkdBasis = "wajib",
) -> dict[Level, list[CoverageRow]]:
    """Coverage at each of ``levels`` from one engine query, within ``region_prefix`` if given
    (``undated_recorded_always``: see ``definitions``); the IKD figures against
    ``ikd_target_hundredths`` of ``ikd_basis``."""
    rows = engine.run(figures_sql(as_of, election_day, pemula_window, region_prefix, undated_recorded_always))
    out = {level: _roll_up(rows, level, election_day is not None, target_hundredths) for level in levels}
    for found in out.values():
        for row in found:
            row.ikd_target_hundredths, row.ikd_basis = ikd_target_hundredths, ikd_basis
    return out


# Digits of the desa id to drop for each level: 13 71 01 1001.
_DROP = {"prov": 10**8, "kab": 10**6, "kec": 10**4, "desa": 1}


def _roll_up(rows: list[tuple[Any, ...]], level: Level, election: bool, target_hundredths: int) -> list[CoverageRow]:
    """Add the (desa, sex, band) counts up to ``level`` (numpy: ~10 ms for a province)."""
    if not rows:
        return []
    data = np.array([(r[0], r[1] == "P", r[2], *r[3:]) for r in rows], dtype=np.int64)
    keys, group = np.unique(data[:, 0] // _DROP[level], return_inverse=True)
    n = len(keys)
    totals = np.zeros((n, len(COUNTS)), dtype=np.int64)
    np.add.at(totals, group, data[:, 3:])
    # wajib, sudah_rekam and ikd_aktif per sex (2) and per band (5).
    per = data[:, [3, 4, 3 + COUNTS.index("ikd_aktif")]]
    sex = np.zeros((n, 2, 3), dtype=np.int64)
    np.add.at(sex, (group, data[:, 1]), per)
    band = np.zeros((n, len(AGE_BANDS), 3), dtype=np.int64)
    np.add.at(band, (group, data[:, 2]), per)
    out = []
    for i, key in enumerate(keys.tolist()):
        code = ".".join(desa_code(key * _DROP[level]).split(".")[: LEVELS.index(level) + 1])
        out.append(
            CoverageRow(
                region_code=code,
                region_name=gazetteer.name_of(code),
                level=level,
                counts=dict(zip(COUNTS, totals[i].tolist(), strict=True)),
                target_hundredths=target_hundredths,
                election=election,
                by_sex={s: _split(sex[i, j]) for j, s in enumerate(SEXES)},
                by_age_band={b: _split(band[i, j]) for j, b in enumerate(AGE_BANDS)},
            )
        )
    return out


def _split(cells: Any) -> dict[str, int]:
    return {"wajib": int(cells[0]), "sudah_rekam": int(cells[1]), "ikd_aktif": int(cells[2])}
