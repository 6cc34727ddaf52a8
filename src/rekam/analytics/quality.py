"""Data-quality figures per region, and the desa whose figures are implausible.

Counted on the snapshot (DuckDB SQL, transpiled for Spark like every figure):
- rekam_sebelum_16: recorded on or after the birth date but before the 16th birthday, and not
  married by then (``eligibility.recorded_under_age``: a married 15-year-old is wajib and may
  record, Permendagri 95/2019 Pasal 96); read from the columns, not from the import warning
  REKAM_BEFORE_16, so that snapshots imported before issue 15 are counted by the same rule;
- rekam_sebelum_lahir: TGL_REKAM before TGL_LHR (not also counted as rekam_sebelum_16: each
  person is counted once per flag kind);
- nik_tgl_lahir_beda: the NIK's date part disagrees with TGL_LHR (NIK_BIRTHDATE_MISMATCH);
- rekam_tanpa_tanggal: recorded, TGL_REKAM missing (REKAM_DATE_MISSING);
- duplikat_dikarantina: rows quarantined as a second copy of a NIK;
- penduduk_bermasalah: residents with at least one of the issues above (a resident with two
  kinds is counted once here, once under each kind);
- tindak_lanjut_siak: residents whose latest field verification (``rekam verify``) says they
  moved, died or live abroad: kept in the figures, reported for SIAK follow-up.

A desa is flagged (``implausible``) when its figures cannot be taken at face value: more than
``ISSUE_SHARE`` of its residents carry a data-quality issue (penduduk_bermasalah plus the
quarantined copies, each person once however many kinds), or at least ``MIN_WAJIB`` are
wajib and its coverage is under ``LOW_COVERAGE`` %. A flagged kab/kota is marked in the
ranking instead of being ranked silently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from rekam.analytics.coverage import Level, _parent
from rekam.analytics.engines import Engine
from rekam.domain.eligibility import RECORDING_AGE
from rekam.register import gazetteer

ISSUE_SHARE = 0.05
MIN_WAJIB = 20
LOW_COVERAGE = 50.0

FIGURES: tuple[str, ...] = (
    "penduduk",
    "penduduk_bermasalah",
    "rekam_sebelum_16",
    "rekam_sebelum_lahir",
    "nik_tgl_lahir_beda",
    "rekam_tanpa_tanggal",
    "duplikat_dikarantina",
)


def _ymd(column: str, years: int = 0) -> str:
    """``column`` as the integer yyyymmdd, ``years`` later: comparing these is comparing dates with
    29 February read as 1 March in a common year, as ``dates.add_years`` does."""
    return f"((year({column}) + {years}) * 10000 + month({column}) * 100 + day({column}))"


#: Recorded before the 16th birthday (not before birth) and not married by then.
UNDER_AGE_SQL = (
    f"recorded_on >= birth_date AND {_ymd('recorded_on')} < {_ymd('birth_date', RECORDING_AGE)} "
    "AND NOT coalesce(ever_married_since <= recorded_on, false)"
)


_ISSUE_CONDITIONS = (
    UNDER_AGE_SQL,
    "recorded_on < birth_date",
    "list_contains(warnings, 'NIK_BIRTHDATE_MISMATCH')",
    "list_contains(warnings, 'REKAM_DATE_MISSING')",
)


def quality_sql(region_prefix: str | None) -> str:
    any_issue = " OR ".join(f"coalesce({c}, false)" for c in _ISSUE_CONDITIONS)
    where = f"(desa_code = '{region_prefix}' OR desa_code LIKE '{region_prefix}.%')" if region_prefix else "true"
    return f"""
SELECT desa_code,
  count(*) AS penduduk,
  sum(CASE WHEN {any_issue} THEN 1 ELSE 0 END) AS penduduk_bermasalah,
  sum(CASE WHEN {UNDER_AGE_SQL} THEN 1 ELSE 0 END) AS rekam_sebelum_16,
  sum(CASE WHEN recorded_on < birth_date THEN 1 ELSE 0 END) AS rekam_sebelum_lahir,
  sum(CASE WHEN list_contains(warnings, 'NIK_BIRTHDATE_MISMATCH') THEN 1 ELSE 0 END) AS nik_tgl_lahir_beda,
  sum(CASE WHEN list_contains(warnings, 'REKAM_DATE_MISSING') THEN 1 ELSE 0 END) AS rekam_tanpa_tanggal,
  0 AS duplikat_dikarantina
FROM register WHERE {where}
GROUP BY desa_code
UNION ALL
SELECT desa_code, 0, 0, 0, 0, 0, 0, count(*)
FROM quarantined WHERE desa_code IS NOT NULL AND {where} AND list_contains(reasons, 'NIK_DUPLICATE')
GROUP BY desa_code
"""


@dataclass
class QualityRow:
    region_code: str
    region_name: str | None
    level: Level
    figures: dict[str, int]
    desa_flagged: int
    tindak_lanjut_siak: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "region_code": self.region_code,
            "region_name": self.region_name,
            "level": self.level,
            **self.figures,
            "desa_flagged": self.desa_flagged,
            "tindak_lanjut_siak": self.tindak_lanjut_siak,
        }


def implausible(figures: dict[str, int], wajib: int, coverage_pct: float | None) -> bool:
    """More than ``ISSUE_SHARE`` of the residents with an issue (each once), or a low coverage."""
    issues = figures["penduduk_bermasalah"] + figures["duplikat_dikarantina"]
    if figures["penduduk"] and issues / figures["penduduk"] > ISSUE_SHARE:
        return True
    return wajib >= MIN_WAJIB and coverage_pct is not None and coverage_pct < LOW_COVERAGE


def quality(
    engine: Engine, level: Level, region_prefix: str | None, coverage_by_desa: dict[str, tuple[int, float | None]]
) -> list[QualityRow]:
    """Data-quality figures at ``level``; ``coverage_by_desa`` gives each desa's (wajib, coverage %)."""
    per_desa: dict[str, list[int]] = defaultdict(lambda: [0] * len(FIGURES))
    for desa, *values in engine.run(quality_sql(region_prefix)):
        acc = per_desa[desa]
        for i, v in enumerate(values):
            acc[i] += int(v)
    totals: dict[str, list[int]] = defaultdict(lambda: [0] * len(FIGURES))
    flagged: dict[str, int] = defaultdict(int)
    for desa, values in per_desa.items():
        code = _parent(desa, level)
        for i, v in enumerate(values):
            totals[code][i] += v
        wajib, pct = coverage_by_desa.get(desa, (0, None))
        flagged[code] += implausible(dict(zip(FIGURES, values, strict=True)), wajib, pct)
    return [
        QualityRow(code, gazetteer.name_of(code), level, dict(zip(FIGURES, acc, strict=True)), flagged[code])
        for code, acc in sorted(totals.items())
    ]


FOLLOW_UP = ("pindah domisili", "meninggal", "di luar negeri")


def add_follow_ups(rows: list[QualityRow], level: Level, latest: dict[str, dict[str, Any]]) -> None:
    """Count residents whose latest verification says moved, dead or abroad: they stay in the
    figures (SIAK is the source of truth) and are reported for SIAK follow-up."""
    by_code = {r.region_code: r for r in rows}
    for outcome in latest.values():
        if outcome["outcome"] in FOLLOW_UP:
            row = by_code.get(_parent(outcome["desa_code"], level))
            if row is not None:
                row.tindak_lanjut_siak += 1
