"""Small-count suppression for outputs meant for the public.

A published table must not let a reader single out a person: any count from 1 to
``THRESHOLD - 1`` is replaced by None, and so is every figure derived from a suppressed
count (a percentage or gap computed from it). Zero stays zero (it reveals no one). The
threshold (5) follows common statistical-disclosure practice for small-area population
tables; it is a parameter for offices whose own rule differs.
"""

from __future__ import annotations

from typing import Any

THRESHOLD = 5

# Figures derived from counts: suppressed when any count they come from is.
_DERIVED = {
    "coverage_pct": ("wajib", "sudah_rekam"),
    "target_gap": ("wajib", "sudah_rekam"),
    "belum_rekam": ("wajib", "sudah_rekam"),
    "ikd_pct": ("wajib", "sudah_rekam", "ikd_aktif"),
    "ikd_gap": ("wajib", "sudah_rekam", "ikd_aktif"),
}
_KEYS = ("region_code", "region_name", "level", "ikd_basis", "ikd_target_pct")


def _small(value: Any, threshold: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < threshold


def suppress(row: dict[str, Any], threshold: int = THRESHOLD) -> dict[str, Any]:
    """A copy of a JSON figure row with small counts (and what they reveal) set to None."""
    out: dict[str, Any] = {}
    hidden: set[str] = set()
    for key, value in row.items():
        if key in _KEYS or key in _DERIVED:
            out[key] = value
        elif isinstance(value, dict):
            out[key] = {k: suppress(v, threshold) if isinstance(v, dict) else v for k, v in value.items()}
        elif _small(value, threshold):
            out[key] = None
            hidden.add(key)
        else:
            out[key] = value
    for key, sources in _DERIVED.items():
        if key in out and any(s in hidden for s in sources):
            out[key] = None
    # belum_rekam = wajib - sudah_rekam reveals a small sudah_rekam too, and the reverse.
    if "belum_rekam" in row and _small(row["belum_rekam"], threshold):
        out["belum_rekam"] = None
        for key in ("sudah_rekam", "coverage_pct", "target_gap"):
            if key in out:
                out[key] = None
    return out
