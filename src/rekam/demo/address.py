"""Household addresses: ALAMAT, NO_RT, NO_RW, DUSUN (jorong in a nagari).

Assumption, after common usage: a nagari is divided into jorong ("JORONG KOTO TUO"); desa in
Kepulauan Mentawai and in the kota into dusun; kelurahan addresses are streets ("JL. ...
NO. 12") or housing estates ("KOMP. ... BLOK C NO. 7"). A few addresses contain a comma, so the
CSV writer has to quote them.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .regions import DESA, KELURAHAN, NAGARI

_PLACE_A = """KOTO PADANG BATANG SUNGAI BUKIK LUBUAK TANJUANG KAMPUANG PASA AIA LURAH TALANG BALAI SAWAH
RANAH PINANG SIMPANG PAUAH GUGUAK KUBANG LADANG TABEK PADANG PANDAN""".split()
_PLACE_B = """TUO BARU ATEH BAWAH TANGAH LAWEH GADANG KETEK LIMAU JAMBU KAREH TINGGI HILIA MUDIAK DURIAN
PISANG SAMPIK TAMPUNUAK BANCAH NAN TIGO PANJANG""".split()
_STREET_NAMES = (
    "SUDIRMAN",
    "KHATIB SULAIMAN",
    "PROKLAMASI",
    "DR. HAMKA",
    "PERINTIS KEMERDEKAAN",
    "RAYA",
    "MERDEKA",
    "AHMAD YANI",
    "IMAM BONJOL",
    "M. YAMIN",
    "HAJI AGUS SALIM",
    "TAN MALAKA",
    "BY PASS",
    "SAMUDRA",
    "ADINEGORO",
    "DIPONEGORO",
    "KARTINI",
    "VETERAN",
    "RASUNA SAID",
    "SUTAN SYAHRIR",
    "PATTIMURA",
    "GAJAH MADA",
    "HOS COKROAMINOTO",
    "SISINGAMANGARAJA",
)
STREETS = ["JL. " + s for s in _STREET_NAMES]
_ESTATES = [
    "PERUMNAS",
    "PERUMAHAN BUMI MINANG",
    "PERUMAHAN VILLA INDAH",
    "KOMPLEK GRIYA ASRI",
    "KOMPLEK BUNGA TANJUNG",
    "PERUMAHAN JONDUL",
]
_ROMAN = ["I", "II", "III", "IV", "V", "VI"]


def jorong_names(rng: np.random.Generator, n: int) -> list[str]:
    a = rng.integers(0, len(_PLACE_A), n)
    b = rng.integers(0, len(_PLACE_B), n)
    return [f"{_PLACE_A[i]} {_PLACE_B[j]}" for i, j in zip(a.tolist(), b.tolist(), strict=True)]


def build_addresses(
    rng: np.random.Generator, hh_desa: np.ndarray, desa_jenis: tuple[str, ...]
) -> tuple[pa.Array, np.ndarray, np.ndarray, pa.Array]:
    """ALAMAT, NO_RT, NO_RW (ints) and DUSUN per household."""
    n = len(hh_desa)
    n_desa = len(desa_jenis)
    jenis = (
        np.array([{NAGARI: 0, DESA: 1, KELURAHAN: 2}[j] for j in desa_jenis], dtype=np.int8)[hh_desa]
        if n
        else np.zeros(0, dtype=np.int8)
    )

    # Sub-village units: 3-7 jorong per nagari, 2-5 dusun per desa; named per desa.
    n_units = rng.integers(3, 8, n_desa)
    unit = np.floor(rng.random(n) * n_units[hh_desa]).astype(np.int64)
    jorong = pa.array(["JORONG " + x for x in jorong_names(rng, n_desa * 7)], type=pa.string())
    jorong_of_hh = jorong.take(pa.array(hh_desa.astype(np.int64) * 7 + unit))
    dusun_tbl = pa.array(["DUSUN " + r for r in _ROMAN], type=pa.string())
    dusun_of_hh = dusun_tbl.take(pa.array(np.minimum(unit, len(_ROMAN) - 1)))
    empty = pa.array([""] * n, type=pa.string())
    dusun = pc.if_else(pa.array(jenis == 0), jorong_of_hh, pc.if_else(pa.array(jenis == 1), dusun_of_hh, empty))

    rt_max = np.where(jenis == 2, 15, 5)
    rw_max = np.where(jenis == 2, 8, 3)
    rt = 1 + np.floor(rng.random(n) * rt_max).astype(np.int64)
    rw = 1 + np.floor(rng.random(n) * rw_max).astype(np.int64)

    streets = pa.array(STREETS, type=pa.string())
    street = streets.take(pa.array(rng.integers(0, len(STREETS), n)))
    numbers = pa.array([str(i) for i in range(0, 301)], type=pa.string())
    number = numbers.take(pa.array(rng.integers(1, 301, n)))
    letters = pa.array(list("ABCDEFGH"), type=pa.string())
    block = letters.take(pa.array(rng.integers(0, 8, n)))
    estates = pa.array(_ESTATES, type=pa.string())
    estate = estates.take(pa.array(rng.integers(0, len(_ESTATES), n)))
    gangs = pa.array(
        [f"GG. {x}" for x in ("MAWAR", "MELATI", "KENANGA", "FAMILI", "SEPAKAT", "DAMAI")], type=pa.string()
    )
    gang = gangs.take(pa.array(rng.integers(0, 6, n)))

    street_no = pc.binary_join_element_wise(street, "NO.", number, " ")
    estate_addr = pc.binary_join_element_wise(estate, "BLOK", block, "NO.", number, " ")
    with_gang = pc.binary_join_element_wise(street_no, gang, ", ")
    u = rng.random(n)
    town = pc.if_else(pa.array(u < 0.70), street_no, pc.if_else(pa.array(u < 0.93), estate_addr, with_gang))
    village = pc.if_else(pa.array(u < 0.55), dusun, pc.if_else(pa.array(u < 0.97), street, with_gang))
    alamat = pc.if_else(pa.array(jenis == 2), town, village)
    return alamat, rt, rw, dusun
