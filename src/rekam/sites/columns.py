"""The columns of the three kinds of site file, their header aliases, and the site kinds.

A file's kind is recognised from its header row (docs/planner.md):

- a **roster** has a site id and a NIK column: who belongs to which school, campus, lapas, panti;
- a **site list** has a site id but no NIK: id, kind, name, desa code, lat/lon, head counts;
- a **desa coordinate** file has a desa code, lat and lon but no site id (the demo's
  ``wilayah/desa.csv``).

Headers are matched as in the register import (``register.schema.header_key``: case, spaces,
underscores and hyphens do not matter). Columns not listed here are ignored; a roster's names
and birth dates are never read.
"""

from __future__ import annotations

import re

from rekam.register.schema import header_key

FileKind = str  # "desa" | "sites" | "roster"
FILE_KINDS: tuple[str, ...] = ("desa", "sites", "roster")  # the order files of one call are read in

# rekam's column -> the header names that mean it (compared after header_key).
ALIASES: dict[str, tuple[str, ...]] = {
    "site_id": (
        "SITE_ID",
        "ID_SITE",
        "ID_LOKASI",
        "KODE_LOKASI",
        "KODE_SITE",
        "LOKASI_ID",
        "NPSN",
        "KODE_PT",
        "KODE_SEKOLAH",
        "ID_SEKOLAH",
        "ID_INSTANSI",
        "KODE_INSTANSI",
    ),
    "kind": ("KIND", "JENIS", "JENIS_LOKASI", "TIPE", "TYPE", "KATEGORI", "BENTUK_PENDIDIKAN", "JENIS_INSTANSI"),
    "name": ("NAMA", "NAME", "NAMA_LOKASI", "NAMA_SITE", "NAMA_SEKOLAH", "NAMA_INSTANSI"),
    "desa_code": (
        "KODE_DESA",
        "DESA_CODE",
        "KD_DESA",
        "KODE_KEL",
        "KODE_KELURAHAN",
        "KODE_DESA_KELURAHAN",
        "KODE_NAGARI",
        "KODE_WILAYAH",
    ),
    "lat": ("LAT", "LATITUDE", "LINTANG"),
    "lon": ("LON", "LNG", "LONG", "LONGITUDE", "BUJUR"),
    "nik": ("NIK", "NO_NIK", "NOMOR_NIK", "NOMOR_INDUK_KEPENDUDUKAN"),
    "head_total": ("JUMLAH", "TOTAL", "HEAD_COUNT", "JUMLAH_ORANG", "JUMLAH_BELUM_REKAM"),
    "head_pemula": ("PEMULA", "JUMLAH_PEMULA"),
    "head_rentan": ("RENTAN", "JUMLAH_RENTAN"),
    "head_lainnya": ("LAINNYA", "JUMLAH_LAINNYA"),
}
_BY_KEY: dict[str, str] = {header_key(alias): col for col, names in ALIASES.items() for alias in names}

REQUIRED: dict[str, tuple[str, ...]] = {
    "roster": ("site_id", "nik"),
    "sites": ("site_id", "kind", "desa_code"),
    "desa": ("desa_code", "lat", "lon"),
}
HEAD_COUNTS: tuple[str, ...] = ("head_total", "head_pemula", "head_rentan", "head_lainnya")

# Site kinds: the scenario's kinds (planner/scenario.py) plus "dinas", a depot (the Dinas
# Dukcapil office or another base the teams leave from). Labels are compared upper case with
# everything but letters and digits removed, so "Rumah Sakit", "rumah_sakit" and "RUMAH-SAKIT"
# are one label.
KIND_LABELS: dict[str, tuple[str, ...]] = {
    "sekolah": (
        "SEKOLAH",
        "SMA",
        "SMAN",
        "SMAS",
        "SMK",
        "SMKN",
        "SMKS",
        "MA",
        "MAN",
        "MAS",
        "MAK",
        "SLB",
        "SMALB",
        "SMLB",
        "PESANTREN",
        "PONDOK PESANTREN",
        "SMA/SMK",
    ),
    "kampus": (
        "KAMPUS",
        "UNIVERSITAS",
        "POLITEKNIK",
        "INSTITUT",
        "SEKOLAH TINGGI",
        "AKADEMI",
        "AKADEMI KOMUNITAS",
        "PERGURUAN TINGGI",
        "PT",
        "PTN",
        "PTS",
    ),
    "lapas": ("LAPAS", "RUTAN", "LPKA", "LEMBAGA PEMASYARAKATAN", "RUMAH TAHANAN", "RUMAH TAHANAN NEGARA"),
    "panti": (
        "PANTI",
        "PANTI ASUHAN",
        "PANTI JOMPO",
        "PANTI WERDHA",
        "PANTI SOSIAL",
        "PANTI REHABILITASI",
        "LKSA",
        "PSTW",
    ),
    "rumah_sakit": ("RUMAH SAKIT", "RS", "RSU", "RSUD", "RSUP", "RSJ", "RSIA", "HOSPITAL"),
    "dinas": ("DINAS", "DINAS DUKCAPIL", "DISDUKCAPIL", "DUKCAPIL", "KANTOR DUKCAPIL", "KANTOR", "DEPOT"),
}
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")


def label_key(label: str) -> str:
    return _NOT_ALNUM.sub("", label.upper())


_KIND_BY_LABEL: dict[str, str] = {label_key(label): kind for kind, labels in KIND_LABELS.items() for label in labels}


def site_kind(label: str | None) -> str | None:
    """The rekam site kind of a label ("SMK" -> "sekolah", "RSUD" -> "rumah_sakit"), or None."""
    if label is None:
        return None
    return _KIND_BY_LABEL.get(label_key(label))


def map_columns(header: list[str]) -> dict[str, int]:
    """Positions of rekam's columns in a header row; the first header naming a column wins."""
    out: dict[str, int] = {}
    for i, name in enumerate(header):
        col = _BY_KEY.get(header_key(name or ""))
        if col is not None and col not in out:
            out[col] = i
    return out


def file_kind(positions: dict[str, int]) -> FileKind | None:
    """Which kind of file a header is (roster, sites, desa), or None when it is none of them."""
    if "nik" in positions:
        return "roster"
    if "site_id" in positions:
        return "sites"
    if "desa_code" in positions and "lat" in positions and "lon" in positions:
        return "desa"
    return None
