"""SIAK code lists as lookup tables: accepted codes and labels -> canonical values.

Each table maps a *normalised* input (see ``normalise_label``) to its canonical value:
an int code for the SIAK lists, "L"/"P" for sex, "WNI"/"WNA", "ITAP"/"ITAS", and a
short code for the vulnerable groups. ``*_LABELS`` give the canonical label of each
value (upper case, as SIAK writes them; the demo generator writes these), and
``lookup(table, raw)`` resolves a raw cell. ``TABLES`` and ``LABELS`` index them by
SIAK column name.

Sources: shared/domain/siak_code_lists.csv, from xidkutu/SIAK-APP
Pendaftaran_Biodata_WNI.jsp (old SIAK), a public Pusdatin.php SIAK query and
OpenSID/OpenSID app/Enums/*.php (current lists); FACTS.md section 1 (Permendagri
96/2019) for the vulnerable groups. Codes follow the current lists: code 6 of AGAMA is
KHONGHUCU (the old SIAK had 6 = LAINNYA) and JENIS_PKRJN codes are the current 89-item
list (the old 16-item list is matched by label only).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal, TypeVar

T = TypeVar("T")

Sex = Literal["L", "P"]
Citizenship = Literal["WNI", "WNA"]
StayPermit = Literal["ITAP", "ITAS"]

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DIGITS_ONLY = re.compile(r"[0-9]+")
_DASHES = re.compile(r"[-_\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_AROUND_SLASH = re.compile(r" ?/ ?")


def normalise_label(s: str) -> str:
    """Normalise a code or label for matching.

    Exactly, in order:

    1. Unicode NFKC (full-width letters and digits become ASCII), then strip.
    2. A number (digits, optionally ``.digits``) whose fraction is all zeros becomes its
       integer string: ``"01"``, ``"1.0"``, ``" 1 "`` -> ``"1"``. Other numbers stay as
       they are (``"1.5"``).
    3. Upper case (then NFKC again).
    4. Dots are deleted: ``"R.I."`` -> ``"RI"``, ``"S. MUDA"`` -> ``"S MUDA"``.
    5. Hyphens, underscores and Unicode dashes become spaces: ``"Laki-laki"``,
       ``"laki_laki"`` -> ``"LAKI LAKI"``.
    6. Runs of whitespace become one space; leading/trailing spaces are removed.
    7. Spaces around ``/``, after ``(`` and before ``)`` are removed:
       ``"NETRA / BUTA"`` -> ``"NETRA/BUTA"``.
    8. If only digits are left, leading zeros go (``"0.5."`` -> ``"05"`` -> ``"5"``).

    Not suitable for blood groups (``"A-"`` would become ``"A"``).
    """
    text = unicodedata.normalize("NFKC", s).strip()
    if _NUMBER.fullmatch(text):
        whole, _, fraction = text.partition(".")
        return (whole.lstrip("0") or "0") if not fraction.strip("0") else text
    text = unicodedata.normalize("NFKC", text.upper()).replace(".", "")
    text = _SPACES.sub(" ", _DASHES.sub(" ", text)).strip()
    text = _AROUND_SLASH.sub("/", text).replace("( ", "(").replace(" )", ")")
    return (text.lstrip("0") or "0") if _DIGITS_ONLY.fullmatch(text) else text


def _table(labels: Mapping[T, str], aliases: Mapping[str, T] | None = None) -> Mapping[str, T]:
    """Lookup table from canonical values (and int codes), labels and aliases."""
    table: dict[str, T] = {}
    entries: list[tuple[str, T]] = []
    for value, label in labels.items():
        entries += [(str(value), value), (label, value)]
    entries += list((aliases or {}).items())
    for raw, value in entries:
        key = normalise_label(raw)
        if table.setdefault(key, value) != value:
            raise ValueError(f"code list key {key!r} maps to two values")
    return MappingProxyType(table)


def lookup(table: Mapping[str, T], raw: str | int | float | None) -> T | None:
    """The canonical value of ``raw`` in ``table``, or None (also for None/empty)."""
    if raw is None or isinstance(raw, bool):
        return None
    return table.get(normalise_label(str(raw)))


# JENIS_KLMIN: 1 LAKI-LAKI, 2 PEREMPUAN.
SEX_LABELS: Mapping[Sex, str] = MappingProxyType({"L": "LAKI-LAKI", "P": "PEREMPUAN"})
SEX: Mapping[str, Sex] = _table(
    SEX_LABELS,
    {
        "1": "L",
        "LAKI": "L",
        "LK": "L",
        "PRIA": "L",
        "MALE": "L",
        "2": "P",
        "PR": "P",
        "WANITA": "P",
        "FEMALE": "P",
    },
)

# STAT_KWN: 1 BELUM KAWIN, 2 KAWIN, 3 CERAI HIDUP, 4 CERAI MATI. "CERAI" alone is
# ambiguous (hidup or mati) and is not accepted.
MARITAL_LABELS: Mapping[int, str] = MappingProxyType({1: "BELUM KAWIN", 2: "KAWIN", 3: "CERAI HIDUP", 4: "CERAI MATI"})
MARITAL: Mapping[str, int] = _table(
    MARITAL_LABELS,
    {
        "BELUM MENIKAH": 1,
        "MENIKAH": 2,
        "KAWIN TERCATAT": 2,
        "KAWIN BELUM TERCATAT": 2,
        "KAWIN TIDAK TERCATAT": 2,
        "CERAI HIDUP TERCATAT": 3,
        "CERAI HIDUP BELUM TERCATAT": 3,
    },
)
EVER_MARRIED: frozenset[int] = frozenset({2, 3, 4})

# AGAMA (current list; OpenSID AgamaEnum.php).
RELIGION_LABELS: Mapping[int, str] = MappingProxyType(
    {
        1: "ISLAM",
        2: "KRISTEN",
        3: "KATHOLIK",
        4: "HINDU",
        5: "BUDHA",
        6: "KHONGHUCU",
        7: "KEPERCAYAAN TERHADAP TUHAN YME / LAINNYA",
    }
)
RELIGION: Mapping[str, int] = _table(
    RELIGION_LABELS,
    {
        "PROTESTAN": 2,
        "KRISTEN PROTESTAN": 2,
        "KATOLIK": 3,
        "KRISTEN KATOLIK": 3,
        "KRISTEN KATHOLIK": 3,
        "BUDDHA": 5,
        "KONGHUCU": 6,
        "KONG HU CU": 6,
        "KHONG HU CU": 6,
        "KEPERCAYAAN": 7,
        "KEPERCAYAAN TERHADAP TUHAN YME": 7,
        "KEPERCAYAAN TERHADAP TUHAN YANG MAHA ESA": 7,
        "LAINNYA": 7,
    },
)

# PDDK_AKH.
EDUCATION_LABELS: Mapping[int, str] = MappingProxyType(
    {
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
)
EDUCATION: Mapping[str, int] = _table(
    EDUCATION_LABELS,
    {
        "BELUM SEKOLAH": 1,
        "TIDAK SEKOLAH": 1,
        "SD": 3,
        "SLTP": 4,
        "SMP": 4,
        "SLTA": 5,
        "SMA": 5,
        "SMK": 5,
        "D1": 6,
        "D2": 6,
        "D3": 7,
        "D4": 8,
        "S1": 8,
        "S2": 9,
        "S3": 10,
    },
)

# PNYDNG_CCT: 1-6. "No disability" is not a code: see DISABILITY_NONE.
DISABILITY_LABELS: Mapping[int, str] = MappingProxyType(
    {
        1: "CACAT FISIK",
        2: "CACAT NETRA/BUTA",
        3: "CACAT RUNGU/WICARA",
        4: "CACAT MENTAL/JIWA",
        5: "CACAT FISIK DAN MENTAL",
        6: "CACAT LAINNYA",
    }
)
DISABILITY: Mapping[str, int] = _table(
    DISABILITY_LABELS,
    {
        "FISIK": 1,
        "DISABILITAS FISIK": 1,
        "NETRA": 2,
        "BUTA": 2,
        "TUNANETRA": 2,
        "DISABILITAS NETRA": 2,
        "RUNGU/WICARA": 3,
        "TUNARUNGU": 3,
        "TUNAWICARA": 3,
        "DISABILITAS RUNGU/WICARA": 3,
        "MENTAL/JIWA": 4,
        "DISABILITAS MENTAL": 4,
        "FISIK DAN MENTAL": 5,
        "LAINNYA": 6,
    },
)
# Normalised values that mean "no disability": empty (also "-"), 0, "TIDAK ADA", and
# OpenSID's 7 = TIDAK CACAT.
DISABILITY_NONE: frozenset[str] = frozenset(
    normalise_label(s) for s in ("", "-", "0", "7", "TIDAK", "TIDAK ADA", "TIDAK CACAT")
)


def is_no_disability(raw: str | int | float | None) -> bool:
    """True when ``raw`` means "no disability" (None, empty, 0, TIDAK ADA ...)."""
    if raw is None:
        return True
    return normalise_label(str(raw)) in DISABILITY_NONE


# STAT_HBKEL.
FAMILY_RELATION_LABELS: Mapping[int, str] = MappingProxyType(
    {
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
)
FAMILY_RELATION: Mapping[str, int] = _table(
    FAMILY_RELATION_LABELS,
    {"KK": 1, "KEPALA KK": 1, "ISTERI": 3, "ORANG TUA": 7, "FAMILI LAINNYA": 9},
)

# JENIS_PKRJN, the current 89-item list (OpenSID PekerjaanEnum.php). Code 5 was labelled
# PEGAWAI NEGERI SIPIL before; both labels map to 5. Labels of the old 16-item SIAK list
# that differ from the current ones are accepted as aliases.
OCCUPATION_LABELS: Mapping[int, str] = MappingProxyType(
    {
        1: "BELUM/TIDAK BEKERJA",
        2: "MENGURUS RUMAH TANGGA",
        3: "PELAJAR/MAHASISWA",
        4: "PENSIUNAN",
        5: "APARATUR SIPIL NEGARA (ASN)",
        6: "TENTARA NASIONAL INDONESIA (TNI)",
        7: "KEPOLISIAN RI (POLRI)",
        8: "PERDAGANGAN",
        9: "PETANI/PEKEBUN",
        10: "PETERNAK",
        11: "NELAYAN/PERIKANAN",
        12: "INDUSTRI",
        13: "KONSTRUKSI",
        14: "TRANSPORTASI",
        15: "KARYAWAN SWASTA",
        16: "KARYAWAN BUMN",
        17: "KARYAWAN BUMD",
        18: "KARYAWAN HONORER",
        19: "BURUH HARIAN LEPAS",
        20: "BURUH TANI/PERKEBUNAN",
        21: "BURUH NELAYAN/PERIKANAN",
        22: "BURUH PETERNAKAN",
        23: "PEMBANTU RUMAH TANGGA",
        24: "TUKANG CUKUR",
        25: "TUKANG LISTRIK",
        26: "TUKANG BATU",
        27: "TUKANG KAYU",
        28: "TUKANG SOL SEPATU",
        29: "TUKANG LAS/PANDAI BESI",
        30: "TUKANG JAHIT",
        31: "TUKANG GIGI",
        32: "PENATA RIAS",
        33: "PENATA BUSANA",
        34: "PENATA RAMBUT",
        35: "MEKANIK",
        36: "SENIMAN",
        37: "TABIB",
        38: "PARAJI",
        39: "PERANCANG BUSANA",
        40: "PENTERJEMAH",
        41: "IMAM MASJID",
        42: "PENDETA",
        43: "PASTOR",
        44: "WARTAWAN",
        45: "USTADZ/MUBALIGH",
        46: "JURU MASAK",
        47: "PROMOTOR ACARA",
        48: "ANGGOTA DPR-RI",
        49: "ANGGOTA DPD",
        50: "ANGGOTA BPK",
        51: "PRESIDEN",
        52: "WAKIL PRESIDEN",
        53: "ANGGOTA MAHKAMAH KONSTITUSI",
        54: "ANGGOTA KABINET KEMENTERIAN",
        55: "DUTA BESAR",
        56: "GUBERNUR",
        57: "WAKIL GUBERNUR",
        58: "BUPATI",
        59: "WAKIL BUPATI",
        60: "WALIKOTA",
        61: "WAKIL WALIKOTA",
        62: "ANGGOTA DPRD PROVINSI",
        63: "ANGGOTA DPRD KABUPATEN/KOTA",
        64: "DOSEN",
        65: "GURU",
        66: "PILOT",
        67: "PENGACARA",
        68: "NOTARIS",
        69: "ARSITEK",
        70: "AKUNTAN",
        71: "KONSULTAN",
        72: "DOKTER",
        73: "BIDAN",
        74: "PERAWAT",
        75: "APOTEKER",
        76: "PSIKIATER/PSIKOLOG",
        77: "PENYIAR TELEVISI",
        78: "PENYIAR RADIO",
        79: "PELAUT",
        80: "PENELITI",
        81: "SOPIR",
        82: "PIALANG",
        83: "PARANORMAL",
        84: "PEDAGANG",
        85: "PERANGKAT DESA",
        86: "KEPALA DESA",
        87: "BIARAWATI",
        88: "WIRASWASTA",
        89: "LAINNYA",
    }
)
OCCUPATION: Mapping[str, int] = _table(
    OCCUPATION_LABELS,
    {
        "PEGAWAI NEGERI SIPIL": 5,
        "PNS": 5,
        "ASN": 5,
        "APARATUR SIPIL NEGARA": 5,
        "TENTARA NASIONAL INDONESIA": 6,
        "TNI": 6,
        "KEPOLISIAN RI": 7,
        "POLRI": 7,
        "JASA LAINNYA": 89,
    },
)

# Citizenship (WNI/WNA); numeric codes 1 = WNI, 2 = WNA. Dots are dropped by normalise_label
# ("W.N.I." = "WNI", "WN. INDONESIA" = "WN INDONESIA"). An empty cell means WNI, and so does a
# value outside this list (blanked with warning INVALID_KEWARGANEGARAAN, like every optional
# coded column; rekam.register.validate): it never removes anyone from wajib (issue 15).
CITIZENSHIP_LABELS: Mapping[Citizenship, str] = MappingProxyType({"WNI": "WNI", "WNA": "WNA"})
CITIZENSHIP: Mapping[str, Citizenship] = _table(
    CITIZENSHIP_LABELS,
    {
        "1": "WNI",
        "INDONESIA": "WNI",
        "WN INDONESIA": "WNI",
        "WARGA NEGARA INDONESIA": "WNI",
        "WARGANEGARA INDONESIA": "WNI",
        "2": "WNA",
        "ASING": "WNA",
        "WN ASING": "WNA",
        "ORANG ASING": "WNA",
        "WARGA NEGARA ASING": "WNA",
        "WARGANEGARA ASING": "WNA",
    },
)

# Stay permit of a foreigner: ITAP (permanent; makes a WNA wajib KTP-el) or ITAS.
STAY_PERMIT_LABELS: Mapping[StayPermit, str] = MappingProxyType({"ITAP": "ITAP", "ITAS": "ITAS"})
STAY_PERMIT: Mapping[str, StayPermit] = _table(
    STAY_PERMIT_LABELS,
    {
        "IZIN TINGGAL TETAP": "ITAP",
        "KITAP": "ITAP",
        "IZIN TINGGAL TERBATAS": "ITAS",
        "KITAS": "ITAS",
    },
)

# Penduduk rentan administrasi kependudukan, Permendagri 96/2019 (FACTS.md section 1).
# Residents of panti, RSJ and lapas fall under ORANG_TERLANTAR in the regulation.
VULNERABLE_GROUP_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "BENCANA_ALAM": "KORBAN BENCANA ALAM",
        "BENCANA_SOSIAL": "KORBAN BENCANA SOSIAL",
        "ORANG_TERLANTAR": "ORANG TERLANTAR",
        "KOMUNITAS_TERPENCIL": "KOMUNITAS TERPENCIL",
        "TANAH_SENGKETA": "PENDUDUK KAWASAN HUTAN, TANAH NEGARA ATAU TANAH SENGKETA",
    }
)
VULNERABLE_GROUPS: Mapping[str, str] = _table(
    VULNERABLE_GROUP_LABELS,
    {
        "PANTI ASUHAN": "ORANG_TERLANTAR",
        "PANTI JOMPO": "ORANG_TERLANTAR",
        "PANTI SOSIAL": "ORANG_TERLANTAR",
        "RUMAH SAKIT JIWA": "ORANG_TERLANTAR",
        "RSJ": "ORANG_TERLANTAR",
        "LEMBAGA PEMASYARAKATAN": "ORANG_TERLANTAR",
        "LAPAS": "ORANG_TERLANTAR",
        "RUTAN": "ORANG_TERLANTAR",
        "KAWASAN HUTAN": "TANAH_SENGKETA",
        "TANAH NEGARA": "TANAH_SENGKETA",
        "TERPENCIL": "KOMUNITAS_TERPENCIL",
        "KOMUNITAS ADAT TERPENCIL": "KOMUNITAS_TERPENCIL",
    },
)

# IKD (Identitas Kependudukan Digital) activation: rekam's own column STATUS_IKD (the name in
# real SIAK exports is not confirmed; docs/import.md lists the aliases read). AKTIF: the
# resident activated the digital ID (an officer scanned its QR code); BELUM: not (yet).
IKD_STATUS_LABELS: Mapping[str, str] = MappingProxyType({"AKTIF": "SUDAH AKTIVASI", "BELUM": "BELUM AKTIVASI"})
IKD_STATUS: Mapping[str, str] = _table(
    IKD_STATUS_LABELS,
    {
        "SUDAH": "AKTIF",
        "SUDAH AKTIF": "AKTIF",
        "AKTIVASI": "AKTIF",
        "TERAKTIVASI": "AKTIF",
        "YA": "AKTIF",
        "Y": "AKTIF",
        "1": "AKTIF",
        "TRUE": "AKTIF",
        "BELUM AKTIF": "BELUM",
        "TIDAK AKTIF": "BELUM",
        "TIDAK": "BELUM",
        "N": "BELUM",
        "0": "BELUM",
        "FALSE": "BELUM",
    },
)

# Tables and labels by SIAK / rekam column name (see rekam.register.schema).
TABLES: Mapping[str, Mapping[str, int | str]] = MappingProxyType(
    {
        "JENIS_KLMIN": SEX,
        "STAT_KWN": MARITAL,
        "AGAMA": RELIGION,
        "PDDK_AKH": EDUCATION,
        "PNYDNG_CCT": DISABILITY,
        "STAT_HBKEL": FAMILY_RELATION,
        "JENIS_PKRJN": OCCUPATION,
        "KEWARGANEGARAAN": CITIZENSHIP,
        "IZIN_TINGGAL": STAY_PERMIT,
        "KELOMPOK_RENTAN": VULNERABLE_GROUPS,
        "STATUS_IKD": IKD_STATUS,
    }
)
LABELS: Mapping[str, Mapping[Any, str]] = MappingProxyType(
    {
        "JENIS_KLMIN": SEX_LABELS,
        "STAT_KWN": MARITAL_LABELS,
        "AGAMA": RELIGION_LABELS,
        "PDDK_AKH": EDUCATION_LABELS,
        "PNYDNG_CCT": DISABILITY_LABELS,
        "STAT_HBKEL": FAMILY_RELATION_LABELS,
        "JENIS_PKRJN": OCCUPATION_LABELS,
        "KEWARGANEGARAAN": CITIZENSHIP_LABELS,
        "IZIN_TINGGAL": STAY_PERMIT_LABELS,
        "KELOMPOK_RENTAN": VULNERABLE_GROUP_LABELS,
        "STATUS_IKD": IKD_STATUS_LABELS,
    }
)
