"""Per-person attributes drawn from age, sex and place: religion, education, occupation,
disability, vulnerable group (kelompok rentan) and birthplace.

All tables here are assumptions shaped on Indonesian/Sumatera Barat patterns (BPS publications
in general terms); docs/demo-data.md lists them. Categorical values are SIAK codes (codes.py).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from . import calibration, codes, names

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def draw_categorical(rng: np.random.Generator, probs: np.ndarray, row: np.ndarray) -> np.ndarray:
    """For each element, an index drawn from ``probs[row[i]]`` (rows are normalised)."""
    p = np.asarray(probs, dtype=np.float64)
    p = p / p.sum(axis=1, keepdims=True)
    cum = np.cumsum(p, axis=1)
    cum[:, -1] = 1.0
    u = rng.random(len(row))
    return (u[:, None] >= cum[row]).sum(axis=1)


def band_of(age: np.ndarray, edges: tuple[int, ...]) -> np.ndarray:
    """Index of the band [edges[i], edges[i+1]) that each age falls in."""
    return np.searchsorted(np.asarray(edges), age, side="right") - 1


# ---------------------------------------------------------------------------------------------
# Religion (per household, from the name group)
# ---------------------------------------------------------------------------------------------
_WNA_RELIGION = (0.30, 0.35, 0.25, 0.0, 0.10, 0.0, 0.0)


def religion(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    table = np.array(list(calibration.RELIGION_BY_GROUP) + [_WNA_RELIGION])
    return (draw_categorical(rng, table, group) + 1).astype(np.int8)


# ---------------------------------------------------------------------------------------------
# Education (PDDK_AKH) by age band; kota residents are more educated.
# ---------------------------------------------------------------------------------------------
EDU_EDGES = (0, 5, 7, 13, 16, 19, 23, 30, 45, 60, 75)
#            1     2     3     4     5     6     7     8      9      10
EDU_P = np.array(
    [
        [1.00, 0, 0, 0, 0, 0, 0, 0, 0, 0],  # 0-4
        [0.75, 0.25, 0, 0, 0, 0, 0, 0, 0, 0],  # 5-6
        [0.01, 0.99, 0, 0, 0, 0, 0, 0, 0, 0],  # 7-12
        [0.01, 0.24, 0.75, 0, 0, 0, 0, 0, 0, 0],  # 13-15
        [0.01, 0.02, 0.15, 0.77, 0.05, 0, 0, 0, 0, 0],  # 16-18
        [0.01, 0.02, 0.06, 0.14, 0.62, 0.03, 0.06, 0.06, 0, 0],  # 19-22
        [0.005, 0.01, 0.08, 0.13, 0.45, 0.03, 0.08, 0.20, 0.008, 0],  # 23-29
        [0.01, 0.03, 0.14, 0.15, 0.40, 0.03, 0.07, 0.15, 0.012, 0.0003],  # 30-44
        [0.02, 0.07, 0.24, 0.16, 0.33, 0.03, 0.05, 0.09, 0.01, 0.0004],  # 45-59
        [0.08, 0.18, 0.33, 0.14, 0.18, 0.02, 0.02, 0.04, 0.006, 0.0003],  # 60-74
        [0.25, 0.27, 0.28, 0.08, 0.08, 0.01, 0.01, 0.02, 0.002, 0.0001],  # 75+
    ]
)
_URBAN_BOOST = np.array([1, 1, 0.8, 0.9, 1.1, 1.3, 1.5, 1.6, 1.8, 1.8])


def education(rng: np.random.Generator, age: np.ndarray, urban: np.ndarray) -> np.ndarray:
    band = band_of(age, EDU_EDGES)
    urban_table = EDU_P * _URBAN_BOOST
    urban_table[:5] = EDU_P[:5]  # children: same schooling in town and village
    table = np.vstack([EDU_P, urban_table])
    row = band + np.where(urban, len(EDU_P), 0)
    return (draw_categorical(rng, table, row) + 1).astype(np.int8)


# ---------------------------------------------------------------------------------------------
# Occupation (JENIS_PKRJN) by sex, age band and town/village.
# ---------------------------------------------------------------------------------------------
OCC_EDGES = (0, 5, 7, 16, 19, 25, 60)
_OCC: dict[str, dict[str, float]] = {
    # children and pupils
    "u5": {"BELUM/TIDAK BEKERJA": 1.0},
    "5-6": {"BELUM/TIDAK BEKERJA": 0.6, "PELAJAR/MAHASISWA": 0.4},
    "7-15": {"PELAJAR/MAHASISWA": 0.97, "BELUM/TIDAK BEKERJA": 0.03},
    "16-18": {
        "PELAJAR/MAHASISWA": 0.84,
        "BELUM/TIDAK BEKERJA": 0.09,
        "PETANI/PEKEBUN": 0.02,
        "BURUH HARIAN LEPAS": 0.02,
        "KARYAWAN SWASTA": 0.01,
        "MENGURUS RUMAH TANGGA": 0.01,
        "PEDAGANG": 0.01,
    },
    "19-24 M": {
        "PELAJAR/MAHASISWA": 0.30,
        "BELUM/TIDAK BEKERJA": 0.20,
        "KARYAWAN SWASTA": 0.12,
        "WIRASWASTA": 0.10,
        "PETANI/PEKEBUN": 0.08,
        "BURUH HARIAN LEPAS": 0.07,
        "PEDAGANG": 0.04,
        "KARYAWAN HONORER": 0.02,
        "SOPIR": 0.02,
        "TUKANG BATU": 0.01,
        "MEKANIK": 0.01,
        "NELAYAN/PERIKANAN": 0.01,
        "TENTARA NASIONAL INDONESIA (TNI)": 0.005,
        "KEPOLISIAN RI (POLRI)": 0.005,
    },
    "19-24 F": {
        "PELAJAR/MAHASISWA": 0.32,
        "BELUM/TIDAK BEKERJA": 0.20,
        "MENGURUS RUMAH TANGGA": 0.15,
        "KARYAWAN SWASTA": 0.11,
        "WIRASWASTA": 0.07,
        "PETANI/PEKEBUN": 0.04,
        "PEDAGANG": 0.04,
        "KARYAWAN HONORER": 0.03,
        "TUKANG JAHIT": 0.01,
        "PENATA RIAS": 0.01,
    },
    "25-59 M village": {
        "PETANI/PEKEBUN": 0.30,
        "WIRASWASTA": 0.16,
        "PEDAGANG": 0.07,
        "PERDAGANGAN": 0.03,
        "BURUH HARIAN LEPAS": 0.08,
        "BURUH TANI/PERKEBUNAN": 0.05,
        "KARYAWAN SWASTA": 0.08,
        "APARATUR SIPIL NEGARA (ASN)": 0.04,
        "GURU": 0.015,
        "TENTARA NASIONAL INDONESIA (TNI)": 0.005,
        "KEPOLISIAN RI (POLRI)": 0.006,
        "NELAYAN/PERIKANAN": 0.02,
        "SOPIR": 0.03,
        "TUKANG BATU": 0.015,
        "TUKANG KAYU": 0.01,
        "MEKANIK": 0.005,
        "PETERNAK": 0.01,
        "KARYAWAN HONORER": 0.015,
        "BELUM/TIDAK BEKERJA": 0.03,
        "PERANGKAT DESA": 0.008,
        "KONSTRUKSI": 0.01,
        "TRANSPORTASI": 0.01,
        "USTADZ/MUBALIGH": 0.003,
        "IMAM MASJID": 0.002,
        "KARYAWAN BUMN": 0.004,
        "INDUSTRI": 0.005,
        "KEPALA DESA": 0.001,
        "LAINNYA": 0.01,
    },
    "25-59 M town": {
        "KARYAWAN SWASTA": 0.22,
        "WIRASWASTA": 0.22,
        "PEDAGANG": 0.08,
        "PERDAGANGAN": 0.04,
        "APARATUR SIPIL NEGARA (ASN)": 0.07,
        "BURUH HARIAN LEPAS": 0.08,
        "SOPIR": 0.04,
        "TENTARA NASIONAL INDONESIA (TNI)": 0.01,
        "KEPOLISIAN RI (POLRI)": 0.012,
        "GURU": 0.02,
        "DOSEN": 0.005,
        "DOKTER": 0.003,
        "KARYAWAN BUMN": 0.015,
        "KARYAWAN BUMD": 0.005,
        "KARYAWAN HONORER": 0.025,
        "BELUM/TIDAK BEKERJA": 0.04,
        "PETANI/PEKEBUN": 0.03,
        "NELAYAN/PERIKANAN": 0.01,
        "MEKANIK": 0.01,
        "TUKANG BATU": 0.01,
        "TUKANG LISTRIK": 0.005,
        "TUKANG CUKUR": 0.003,
        "TRANSPORTASI": 0.015,
        "KONSTRUKSI": 0.015,
        "WARTAWAN": 0.002,
        "PENGACARA": 0.001,
        "AKUNTAN": 0.001,
        "LAINNYA": 0.015,
    },
    "25-59 F village": {
        "MENGURUS RUMAH TANGGA": 0.48,
        "PETANI/PEKEBUN": 0.17,
        "WIRASWASTA": 0.07,
        "PEDAGANG": 0.06,
        "GURU": 0.035,
        "APARATUR SIPIL NEGARA (ASN)": 0.03,
        "KARYAWAN SWASTA": 0.03,
        "BURUH TANI/PERKEBUNAN": 0.03,
        "BIDAN": 0.008,
        "PERAWAT": 0.008,
        "KARYAWAN HONORER": 0.02,
        "BELUM/TIDAK BEKERJA": 0.03,
        "TUKANG JAHIT": 0.01,
        "PENATA RIAS": 0.002,
        "LAINNYA": 0.01,
    },
    "25-59 F town": {
        "MENGURUS RUMAH TANGGA": 0.40,
        "KARYAWAN SWASTA": 0.12,
        "WIRASWASTA": 0.10,
        "PEDAGANG": 0.08,
        "GURU": 0.04,
        "APARATUR SIPIL NEGARA (ASN)": 0.05,
        "PERAWAT": 0.012,
        "BIDAN": 0.008,
        "DOKTER": 0.003,
        "DOSEN": 0.004,
        "KARYAWAN HONORER": 0.03,
        "BELUM/TIDAK BEKERJA": 0.05,
        "PETANI/PEKEBUN": 0.02,
        "TUKANG JAHIT": 0.01,
        "PENATA RAMBUT": 0.004,
        "APOTEKER": 0.002,
        "KARYAWAN BUMN": 0.008,
        "LAINNYA": 0.01,
    },
    "60+ M village": {
        "PETANI/PEKEBUN": 0.32,
        "BELUM/TIDAK BEKERJA": 0.33,
        "PENSIUNAN": 0.12,
        "WIRASWASTA": 0.10,
        "PEDAGANG": 0.05,
        "BURUH TANI/PERKEBUNAN": 0.03,
        "NELAYAN/PERIKANAN": 0.01,
        "PETERNAK": 0.01,
        "IMAM MASJID": 0.005,
        "TABIB": 0.002,
        "LAINNYA": 0.02,
    },
    "60+ M town": {
        "BELUM/TIDAK BEKERJA": 0.35,
        "PENSIUNAN": 0.27,
        "WIRASWASTA": 0.15,
        "PEDAGANG": 0.08,
        "PETANI/PEKEBUN": 0.06,
        "SOPIR": 0.01,
        "LAINNYA": 0.03,
    },
    "60+ F village": {
        "MENGURUS RUMAH TANGGA": 0.50,
        "BELUM/TIDAK BEKERJA": 0.22,
        "PETANI/PEKEBUN": 0.15,
        "PENSIUNAN": 0.05,
        "PEDAGANG": 0.05,
        "PARAJI": 0.002,
        "LAINNYA": 0.01,
    },
    "60+ F town": {
        "MENGURUS RUMAH TANGGA": 0.52,
        "BELUM/TIDAK BEKERJA": 0.24,
        "PENSIUNAN": 0.12,
        "PEDAGANG": 0.07,
        "WIRASWASTA": 0.03,
        "LAINNYA": 0.01,
    },
}
_WNA_OCC = {
    "KARYAWAN SWASTA": 0.35,
    "WIRASWASTA": 0.25,
    "KONSULTAN": 0.1,
    "PENELITI": 0.05,
    "DOSEN": 0.05,
    "LAINNYA": 0.2,
}
_PROFESSIONAL = {
    "APARATUR SIPIL NEGARA (ASN)",
    "GURU",
    "DOSEN",
    "DOKTER",
    "BIDAN",
    "PERAWAT",
    "APOTEKER",
    "PENGACARA",
    "AKUNTAN",
    "KONSULTAN",
    "PENELITI",
    "WARTAWAN",
}
COASTAL = frozenset({"13.01", "13.05", "13.06", "13.09", "13.12", "13.71", "13.77"})


def _row_keys() -> list[str]:
    keys = ["u5", "5-6", "7-15", "16-18", "19-24 M", "19-24 F"]
    for band in ("25-59", "60+"):
        for sex in ("M", "F"):
            for place in ("village", "town"):
                keys.append(f"{band} {sex} {place}")
    return keys + ["WNA"]


def _occupation_table(coastal: bool) -> np.ndarray:
    keys = _row_keys()
    table = np.zeros((len(keys), len(codes.JENIS_PKRJN)))
    for r, key in enumerate(keys):
        weights = _WNA_OCC if key == "WNA" else _OCC[key]
        for label, w in weights.items():
            if coastal and label == "NELAYAN/PERIKANAN":
                w *= 3
            table[r, codes.PEKERJAAN_CODE[label] - 1] = w
    return table


_OCC_TABLES = {False: _occupation_table(False), True: _occupation_table(True)}


def occupation(
    rng: np.random.Generator,
    age: np.ndarray,
    sex: np.ndarray,
    urban: np.ndarray,
    edu: np.ndarray,
    wna: np.ndarray,
    kab_code: str,
) -> np.ndarray:
    band = band_of(age, OCC_EDGES)
    male = sex == codes.LAKI_LAKI
    row = np.select(
        [band <= 3, band == 4, band == 5, band == 6],
        [
            band,
            np.where(male, 4, 5),
            6 + np.where(male, 0, 2) + urban.astype(np.int64),
            10 + np.where(male, 0, 2) + urban.astype(np.int64),
        ],
    )
    row = np.where(wna, 14, row)
    occ = (draw_categorical(rng, _OCC_TABLES[kab_code in COASTAL], row) + 1).astype(np.int8)
    # Consistency with schooling: no professionals without upper-secondary schooling, no
    # university students without it.
    professional = np.isin(occ, [codes.PEKERJAAN_CODE[x] for x in _PROFESSIONAL])
    low_edu = edu < 5
    occ[professional & low_edu] = codes.PEKERJAAN_CODE["WIRASWASTA"]
    student = occ == codes.PEKERJAAN_CODE["PELAJAR/MAHASISWA"]
    occ[student & (age >= 19) & low_edu] = codes.PEKERJAAN_CODE["BELUM/TIDAK BEKERJA"]
    high_edu = edu >= 7
    occ[professional & ~high_edu & (rng.random(len(occ)) < 0.5)] = codes.PEKERJAAN_CODE["KARYAWAN SWASTA"]
    return occ


# ---------------------------------------------------------------------------------------------
# Disability (PNYDNG_CCT)
# ---------------------------------------------------------------------------------------------


def disability(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    band = band_of(age, calibration.DISABILITY_AGE_BANDS)
    p = np.asarray(calibration.DISABILITY_P)[band]
    has = rng.random(len(age)) < p
    kind = draw_categorical(rng, np.array([calibration.DISABILITY_TYPE_P]), np.zeros(len(age), dtype=np.int64)) + 1
    return np.where(has, kind, 0).astype(np.int8)


# ---------------------------------------------------------------------------------------------
# Kelompok rentan (per household, plus "orang terlantar" for some people living alone)
# ---------------------------------------------------------------------------------------------


def rentan_households(rng: np.random.Generator, kab_code: str, remote: np.ndarray) -> np.ndarray:
    """KELOMPOK_RENTAN code per household (0 = none); ``remote`` per household."""
    n = len(remote)
    p_alam = calibration.RENTAN_BENCANA_ALAM_BY_KAB.get(kab_code, calibration.RENTAN_HOUSEHOLD_P["BENCANA_ALAM"])
    p_sosial = calibration.RENTAN_HOUSEHOLD_P["BENCANA_SOSIAL"]
    p_sengketa = calibration.RENTAN_HOUSEHOLD_P["TANAH_SENGKETA"]
    p_terpencil = np.where(
        remote,
        calibration.RENTAN_TERPENCIL_REMOTE_P.get(kab_code, calibration.RENTAN_TERPENCIL_REMOTE_DEFAULT),
        0.0,
    )
    u = rng.random(n)
    out = np.zeros(n, dtype=np.int8)
    edges = np.cumsum(
        np.vstack([np.full(n, p_alam), np.full(n, p_sosial), np.full(n, p_sengketa), p_terpencil]), axis=0
    )
    out[u < edges[3]] = codes.KOMUNITAS_TERPENCIL
    out[u < edges[2]] = codes.TANAH_SENGKETA
    out[u < edges[1]] = codes.BENCANA_SOSIAL
    out[u < edges[0]] = codes.BENCANA_ALAM
    return out


# ---------------------------------------------------------------------------------------------
# Birthplace (TMPT_LHR)
# ---------------------------------------------------------------------------------------------
OUTSIDE_TOWNS = ("PEKANBARU", "JAKARTA", "MEDAN", "BATAM", "JAMBI", "BANDUNG", "BENGKULU", "DUMAI")
JAVA_TOWNS = ("WONOGIRI", "KLATEN", "BOYOLALI", "SRAGEN", "PONOROGO", "KEBUMEN", "BANYUMAS", "BLITAR")
BATAK_TOWNS = ("TARUTUNG", "SIBOLGA", "MEDAN", "BALIGE", "PADANG SIDEMPUAN", "PANYABUNGAN", "KOTANOPAN")
NIAS_TOWNS = ("GUNUNGSITOLI", "TELUK DALAM", "NIAS")
FOREIGN_TOWNS = ("SYDNEY", "MELBOURNE", "TOKYO", "KUALA LUMPUR", "SINGAPURA", "LONDON", "BERLIN", "PERTH")


class Birthplaces:
    """The birthplace vocabulary of one kab/kota and a vectorised draw."""

    def __init__(
        self,
        kab: calibration.KabKota,
        kec_names: tuple[str, ...],
        siblings: tuple[calibration.KabKota, ...] = (),
    ) -> None:
        self.kec = [k.upper() for k in kec_names]
        if kab.code in calibration.CAPITAL_TOWN:
            self.home = [kab.short_name.upper(), calibration.CAPITAL_TOWN[kab.code]]
            others = [calibration.CAPITAL_TOWN[k.code] for k in calibration.KABKOTA if k.code != kab.code]
            # Padang is the most common birthplace outside one's own kab/kota.
            self.other = ["PADANG"] * 6 + sorted(set(others) - {"PADANG"})
        else:
            # Outside Sumatera Barat (no seat list): the kab/kota's own name twice, and the
            # other kab/kota of its province by name. Assumption (docs/demo-data.md).
            self.home = [kab.short_name.upper()] * 2
            names_ = sorted({k.short_name.upper() for k in siblings if k.code != kab.code})
            self.other = names_ or list(self.home)
        self.lists = [
            self.home,
            self.kec,
            self.other,
            list(OUTSIDE_TOWNS),
            list(JAVA_TOWNS),
            list(BATAK_TOWNS),
            list(NIAS_TOWNS),
            list(FOREIGN_TOWNS),
        ]
        flat: list[str] = []
        self.offset = []
        for lst in self.lists:
            self.offset.append(len(flat))
            flat.extend(lst)
        self.values = pa.array(flat, type=pa.string())
        self.length = np.array([len(x) for x in self.lists])
        self.offset_arr = np.array(self.offset)

    #            home  kec   other outside java  batak nias  foreign
    _LOCAL = (0.60, 0.18, 0.17, 0.05, 0, 0, 0, 0)
    _MENTAWAI = (0.30, 0.55, 0.13, 0.02, 0, 0, 0, 0)
    _JAWA_OLD = (0.25, 0.05, 0.05, 0.05, 0.60, 0, 0, 0)
    _BATAK_OLD = (0.30, 0.05, 0.05, 0.05, 0, 0.55, 0, 0)
    _NIAS_OLD = (0.30, 0.05, 0.05, 0.05, 0, 0, 0.55, 0)
    _FOREIGN = (0, 0, 0, 0, 0, 0, 0, 1.0)

    def draw(self, rng: np.random.Generator, group: np.ndarray, birth_year: np.ndarray, mentawai: bool) -> pa.Array:
        old = birth_year < 1990
        local = self._MENTAWAI if mentawai else self._LOCAL
        table = np.array([local, self._JAWA_OLD, self._BATAK_OLD, self._NIAS_OLD, self._FOREIGN])
        row = np.zeros(len(group), dtype=np.int64)
        row[(group == names.JAWA) & old] = 1
        row[((group == names.BATAK) | (group == names.MANDAILING)) & old] = 2
        row[(group == names.NIAS) & old] = 3
        row[group == names.ASING] = 4
        which = draw_categorical(rng, table, row)
        idx = self.offset_arr[which] + np.floor(rng.random(len(group)) * self.length[which]).astype(np.int64)
        return self.values.take(pa.array(idx))
