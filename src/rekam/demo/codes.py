"""SIAK code lists and KTP-el status strings, as the demo export writes them.

The labels are the ones SIAK prints (upper case). The numeric codes are SIAK's own code numbers;
the generator keeps every categorical column as a small integer code and turns it into its label
only when writing the CSV (``label_table``).

The labels come from ``rekam.domain.codes`` (one list for the importer and the generator).
Sources:
- JENIS_KLMIN, STAT_KWN, PDDK_AKH, PNYDNG_CCT: xidkutu/SIAK-APP ``Pendaftaran_Biodata_WNI.jsp``
  (old SIAK web app) and OpenSID/OpenSID ``app/Enums/*.php``.
- STAT_HBKEL, AGAMA: OpenSID/OpenSID ``SHDKEnum.php``, ``AgamaEnum.php`` and a public SIAK query
  (``controllers/api/Pusdatin.php``).
- JENIS_PKRJN: the current 89-item list (OpenSID ``PekerjaanEnum.php``). Code 5 was formerly
  "PEGAWAI NEGERI SIPIL"; only the current label is written.
- KTP-el statuses: the KTP-el system strings quoted by Dukcapil offices (Purbalingga, Banyumas,
  Jember) and OpenSID ``StatusKTPEnum.php``.
"""

from __future__ import annotations

import pyarrow as pa

from rekam.domain.codes import (
    DISABILITY_LABELS,
    EDUCATION_LABELS,
    FAMILY_RELATION_LABELS,
    MARITAL_LABELS,
    OCCUPATION_LABELS,
    RELIGION_LABELS,
    SEX_LABELS,
)

# JENIS_KLMIN
LAKI_LAKI = 1
PEREMPUAN = 2
JENIS_KLMIN = {LAKI_LAKI: SEX_LABELS["L"], PEREMPUAN: SEX_LABELS["P"]}

# STAT_KWN
BELUM_KAWIN = 1
KAWIN = 2
CERAI_HIDUP = 3
CERAI_MATI = 4
STAT_KWN = dict(MARITAL_LABELS)

# STAT_HBKEL
KEPALA_KELUARGA = 1
SUAMI = 2
ISTRI = 3
ANAK = 4
MENANTU = 5
CUCU = 6
ORANGTUA = 7
MERTUA = 8
FAMILI_LAIN = 9
PEMBANTU = 10
LAINNYA = 11
STAT_HBKEL = dict(FAMILY_RELATION_LABELS)

# AGAMA
ISLAM = 1
KRISTEN = 2
KATHOLIK = 3
HINDU = 4
BUDHA = 5
KHONGHUCU = 6
KEPERCAYAAN = 7
AGAMA = dict(RELIGION_LABELS)

# PDDK_AKH
PDDK_AKH = dict(EDUCATION_LABELS)

# PNYDNG_CCT (0 = none, written as an empty field)
PNYDNG_CCT = dict(DISABILITY_LABELS)

# JENIS_PKRJN, the current 89-item list.
JENIS_PKRJN = dict(OCCUPATION_LABELS)
PEKERJAAN_CODE = {label: code for code, label in JENIS_PKRJN.items()}

# KEWARGANEGARAAN / IZIN_TINGGAL
WNI = 0
WNA = 1
KEWARGANEGARAAN = {0: "WNI", 1: "WNA"}
IZIN_TINGGAL = {1: "ITAP", 2: "ITAS"}  # 0 = none (WNI), written empty
ITAP = 1
ITAS = 2

# KELOMPOK_RENTAN: Permendagri 96/2019 categories (0 = none, written empty).
KELOMPOK_RENTAN = {
    1: "BENCANA_ALAM",
    2: "BENCANA_SOSIAL",
    3: "ORANG_TERLANTAR",
    4: "KOMUNITAS_TERPENCIL",
    5: "TANAH_SENGKETA",
}
BENCANA_ALAM = 1
BENCANA_SOSIAL = 2
ORANG_TERLANTAR = 3
KOMUNITAS_TERPENCIL = 4
TANAH_SENGKETA = 5

# STATUS_KTP_EL: the KTP-el system strings.
UNREGISTERED = 0
BIO_CAPTURED = 1
SENT_FOR_ENROLLMENT = 2
PRINT_READY_RECORD = 3
DUPLICATE_RECORD = 4
ENROLL_FAILURE_AT_CENTRAL = 5
SEARCH_FAILURE_AT_CENTRAL = 6
CARD_PRINTED = 7
CARD_ISSUED = 8
STATUS_KTP_EL = {
    0: "UNREGISTERED",
    1: "BIO_CAPTURED",
    2: "SENT_FOR_ENROLLMENT",
    3: "PRINT_READY_RECORD",
    4: "DUPLICATE_RECORD",
    5: "ENROLL_FAILURE_AT_CENTRAL",
    6: "SEARCH_FAILURE_AT_CENTRAL",
    7: "CARD_PRINTED",
    8: "CARD_ISSUED",
}
#: Statuses that count as "sudah rekam" (DESIGN.md: the failures need re-recording).
RECORDED_STATUSES = frozenset({1, 2, 3, 4, 7, 8})
PRINTED_STATUSES = frozenset({7, 8})


def label_table(mapping: dict[int, str], *, empty_code: int | None = 0) -> pa.Array:
    """A string array indexed by code, for ``pyarrow.compute.take``.

    ``empty_code`` (if given and absent from ``mapping``) maps to an empty string.
    """
    size = max(mapping) + 1
    labels = [mapping.get(i, "") for i in range(size)]
    if empty_code is not None and empty_code not in mapping:
        labels[empty_code] = ""
    return pa.array(labels, type=pa.string())
