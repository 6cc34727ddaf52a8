"""SIAK code lists and KTP-el status strings, as the demo export writes them.

The labels are the ones SIAK prints (upper case). The numeric codes are SIAK's own code numbers;
the generator keeps every categorical column as a small integer code and turns it into its label
only when writing the CSV (``label_table``).

Sources (copied into this module; the product never reads the research folder):
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

# JENIS_KLMIN
LAKI_LAKI = 1
PEREMPUAN = 2
JENIS_KLMIN = {1: "LAKI-LAKI", 2: "PEREMPUAN"}

# STAT_KWN
BELUM_KAWIN = 1
KAWIN = 2
CERAI_HIDUP = 3
CERAI_MATI = 4
STAT_KWN = {1: "BELUM KAWIN", 2: "KAWIN", 3: "CERAI HIDUP", 4: "CERAI MATI"}

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
STAT_HBKEL = {
    1: "KEPALA KELUARGA",
    2: "SUAMI",
    3: "ISTRI",
    4: "ANAK",
    5: "MENANTU",
    6: "CUCU",
    7: "ORANGTUA",
    8: "MERTUA",
    9: "FAMILI LAIN",
    10: "PEMBANTU",
    11: "LAINNYA",
}

# AGAMA
ISLAM = 1
KRISTEN = 2
KATHOLIK = 3
HINDU = 4
BUDHA = 5
KHONGHUCU = 6
KEPERCAYAAN = 7
AGAMA = {
    1: "ISLAM",
    2: "KRISTEN",
    3: "KATHOLIK",
    4: "HINDU",
    5: "BUDHA",
    6: "KHONGHUCU",
    7: "KEPERCAYAAN TERHADAP TUHAN YME / LAINNYA",
}

# PDDK_AKH
PDDK_AKH = {
    1: "TIDAK/BELUM SEKOLAH",
    2: "BELUM TAMAT SD/SEDERAJAT",
    3: "TAMAT SD/SEDERAJAT",
    4: "SLTP/SEDERAJAT",
    5: "SLTA/SEDERAJAT",
    6: "DIPLOMA I/II",
    7: "AKADEMI/DIPLOMA III/S. MUDA",
    8: "DIPLOMA IV/STRATA I",
    9: "STRATA II",
    10: "STRATA III",
}

# PNYDNG_CCT (0 = none, written as an empty field)
PNYDNG_CCT = {
    1: "CACAT FISIK",
    2: "CACAT NETRA/BUTA",
    3: "CACAT RUNGU/WICARA",
    4: "CACAT MENTAL/JIWA",
    5: "CACAT FISIK DAN MENTAL",
    6: "CACAT LAINNYA",
}

# JENIS_PKRJN, the current 89-item list.
_PEKERJAAN = [
    "BELUM/TIDAK BEKERJA", "MENGURUS RUMAH TANGGA", "PELAJAR/MAHASISWA", "PENSIUNAN",
    "APARATUR SIPIL NEGARA (ASN)", "TENTARA NASIONAL INDONESIA (TNI)", "KEPOLISIAN RI (POLRI)",
    "PERDAGANGAN", "PETANI/PEKEBUN", "PETERNAK", "NELAYAN/PERIKANAN", "INDUSTRI", "KONSTRUKSI",
    "TRANSPORTASI", "KARYAWAN SWASTA", "KARYAWAN BUMN", "KARYAWAN BUMD", "KARYAWAN HONORER",
    "BURUH HARIAN LEPAS", "BURUH TANI/PERKEBUNAN", "BURUH NELAYAN/PERIKANAN", "BURUH PETERNAKAN",
    "PEMBANTU RUMAH TANGGA", "TUKANG CUKUR", "TUKANG LISTRIK", "TUKANG BATU", "TUKANG KAYU",
    "TUKANG SOL SEPATU", "TUKANG LAS/PANDAI BESI", "TUKANG JAHIT", "TUKANG GIGI", "PENATA RIAS",
    "PENATA BUSANA", "PENATA RAMBUT", "MEKANIK", "SENIMAN", "TABIB", "PARAJI", "PERANCANG BUSANA",
    "PENTERJEMAH", "IMAM MASJID", "PENDETA", "PASTOR", "WARTAWAN", "USTADZ/MUBALIGH", "JURU MASAK",
    "PROMOTOR ACARA", "ANGGOTA DPR-RI", "ANGGOTA DPD", "ANGGOTA BPK", "PRESIDEN", "WAKIL PRESIDEN",
    "ANGGOTA MAHKAMAH KONSTITUSI", "ANGGOTA KABINET KEMENTERIAN", "DUTA BESAR", "GUBERNUR",
    "WAKIL GUBERNUR", "BUPATI", "WAKIL BUPATI", "WALIKOTA", "WAKIL WALIKOTA",
    "ANGGOTA DPRD PROVINSI", "ANGGOTA DPRD KABUPATEN/KOTA", "DOSEN", "GURU", "PILOT", "PENGACARA",
    "NOTARIS", "ARSITEK", "AKUNTAN", "KONSULTAN", "DOKTER", "BIDAN", "PERAWAT", "APOTEKER",
    "PSIKIATER/PSIKOLOG", "PENYIAR TELEVISI", "PENYIAR RADIO", "PELAUT", "PENELITI", "SOPIR",
    "PIALANG", "PARANORMAL", "PEDAGANG", "PERANGKAT DESA", "KEPALA DESA", "BIARAWATI", "WIRASWASTA",
    "LAINNYA",
]  # fmt: skip
JENIS_PKRJN = {i + 1: label for i, label in enumerate(_PEKERJAAN)}
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
