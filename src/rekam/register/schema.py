"""The SIAK export columns rekam reads, and how their headers are recognised.

Headers are matched ignoring case, surrounding spaces, and spaces/underscores/hyphens,
so ``No Kab``, ``no_kab`` and ``NO-KAB`` are all ``NO_KAB``. Where a real export is known
or suspected to use another name for the same column, the name is listed in ``ALIASES``.
The column name of the KTP-el status in real exports is not confirmed (FACTS.md 3.3):
``STATUS_KTP_EL`` is rekam's own name, and the aliases below are the names seen in
by-name lists and in OpenSID.
"""

from __future__ import annotations

import re

REQUIRED: tuple[str, ...] = (
    "NIK",
    "NO_KK",
    "NAMA_LGKP",
    "JENIS_KLMIN",
    "TGL_LHR",
    "STAT_KWN",
    "NO_PROP",
    "NO_KAB",
    "NO_KEC",
    "NO_KEL",
    "STATUS_KTP_EL",
)

OPTIONAL: tuple[str, ...] = (
    "TMPT_LHR",
    "AGAMA",
    "STAT_HBKEL",
    "PNYDNG_CCT",
    "PDDK_AKH",
    "JENIS_PKRJN",
    "ALAMAT",
    "NO_RT",
    "NO_RW",
    "DUSUN",
    "KODE_POS",
    "TGL_KWN",
    "TGL_REKAM",
    "TGL_CETAK",
    "KEWARGANEGARAAN",
    "IZIN_TINGGAL",
    "KELOMPOK_RENTAN",
    "NAMA_PROP",
    "NAMA_KAB",
    "NAMA_KEC",
    "NAMA_KEL",
    "STATUS_IKD",
    "TGL_AKTIVASI_IKD",
    "KAB_AKTIVASI_IKD",
)

COLUMNS: tuple[str, ...] = REQUIRED + OPTIONAL

#: The required columns of an IKD activation file (issue 19: a second file keyed by NIK, read with
#: the register's names and aliases); TGL_AKTIVASI_IKD and KAB_AKTIVASI_IKD are optional there.
IKD_REQUIRED: tuple[str, ...] = ("NIK", "STATUS_IKD")

# Other header names for the same column, keyed by their normalised form.
ALIASES: dict[str, str] = {
    "STATUSKTPEL": "STATUS_KTP_EL",
    "STATUSREKAM": "STATUS_KTP_EL",
    "STATUSKTP": "STATUS_KTP_EL",
    "STATUSEKTP": "STATUS_KTP_EL",
    "STATUSPEREKAMAN": "STATUS_KTP_EL",
    "KTPEL": "STATUS_KTP_EL",
    "STATUSKTPELEKTRONIK": "STATUS_KTP_EL",
    "NOKK": "NO_KK",
    "NAMA": "NAMA_LGKP",
    "NAMALENGKAP": "NAMA_LGKP",
    "JENISKELAMIN": "JENIS_KLMIN",
    "JK": "JENIS_KLMIN",
    "TANGGALLAHIR": "TGL_LHR",
    "TEMPATLAHIR": "TMPT_LHR",
    "STATUSKAWIN": "STAT_KWN",
    "STATUSPERKAWINAN": "STAT_KWN",
    "TANGGALKAWIN": "TGL_KWN",
    "TANGGALPEREKAMAN": "TGL_REKAM",
    "TGLPEREKAMAN": "TGL_REKAM",
    "TANGGALREKAM": "TGL_REKAM",
    "TANGGALCETAK": "TGL_CETAK",
    "WARGANEGARA": "KEWARGANEGARAAN",
    "WNIWNA": "KEWARGANEGARAAN",
    "NORT": "NO_RT",
    "RT": "NO_RT",
    "NORW": "NO_RW",
    "RW": "NO_RW",
    "KODEPOS": "KODE_POS",
    "PENYANDANGCACAT": "PNYDNG_CCT",
    "DISABILITAS": "PNYDNG_CCT",
    "PENDIDIKAN": "PDDK_AKH",
    "PEKERJAAN": "JENIS_PKRJN",
    "HUBUNGANKELUARGA": "STAT_HBKEL",
    "SHDK": "STAT_HBKEL",
    # IKD activation (issue 19): rekam's own names; these are the names seen in Dinas reports.
    "IKD": "STATUS_IKD",
    "IKDAKTIF": "STATUS_IKD",
    "AKTIVASIIKD": "STATUS_IKD",
    "STATUSAKTIVASIIKD": "STATUS_IKD",
    "TANGGALAKTIVASIIKD": "TGL_AKTIVASI_IKD",
    "TGLIKD": "TGL_AKTIVASI_IKD",
    "TANGGALIKD": "TGL_AKTIVASI_IKD",
    "KABAKTIVASIIKD": "KAB_AKTIVASI_IKD",
    "KABKOTAAKTIVASIIKD": "KAB_AKTIVASI_IKD",
    "WILAYAHAKTIVASIIKD": "KAB_AKTIVASI_IKD",
    "LOKASIAKTIVASIIKD": "KAB_AKTIVASI_IKD",
}

_SEPARATORS = re.compile(r"[\s_\-]+")


def header_key(name: str) -> str:
    """Normalised header: upper case with spaces, underscores and hyphens removed."""
    return _SEPARATORS.sub("", name.strip().lstrip("\ufeff")).upper()


_CANONICAL: dict[str, str] = {header_key(c): c for c in COLUMNS} | ALIASES


def canonical_column(name: str) -> str | None:
    """The rekam column a header names, or None when rekam does not use it."""
    return _CANONICAL.get(header_key(name))


def map_header(names: list[str], required: tuple[str, ...] = REQUIRED) -> tuple[dict[str, int], list[str]]:
    """Positions of the rekam columns in a header row, and the ``required`` ones missing
    (the register's by default; an IKD file's are ``IKD_REQUIRED``).

    The first header that maps to a column wins; later ones are ignored.
    """
    positions: dict[str, int] = {}
    for i, name in enumerate(names):
        col = canonical_column(name) if name is not None else None
        if col is not None and col not in positions:
            positions[col] = i
    missing = [c for c in required if c not in positions]
    return positions, missing
