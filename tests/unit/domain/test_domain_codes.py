"""SIAK code lists: normalisation, lookups and canonical labels."""

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rekam.domain import codes
from rekam.domain.codes import (
    CITIZENSHIP,
    DISABILITY,
    EDUCATION,
    EVER_MARRIED,
    FAMILY_RELATION,
    LABELS,
    MARITAL,
    OCCUPATION,
    OCCUPATION_LABELS,
    RELIGION,
    SEX,
    STAY_PERMIT,
    TABLES,
    VULNERABLE_GROUPS,
    is_no_disability,
    lookup,
    normalise_label,
)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Laki-laki", "LAKI LAKI"),
        ("LAKI LAKI", "LAKI LAKI"),
        ("laki_laki", "LAKI LAKI"),
        ("  cerai   hidup ", "CERAI HIDUP"),
        ("Cerai\tMati", "CERAI MATI"),
        ("01", "1"),
        ("1.0", "1"),
        (" 10 ", "10"),
        ("1.5", "1.5"),
        ("0.5.", "5"),
        ("000", "0"),
        ("0.00", "0"),
        ("Kepolisian R.I.", "KEPOLISIAN RI"),
        ("Akademi/Diploma III/S. Muda", "AKADEMI/DIPLOMA III/S MUDA"),
        ("CACAT NETRA / BUTA", "CACAT NETRA/BUTA"),
        ("Aparatur Sipil Negara ( ASN )", "APARATUR SIPIL NEGARA (ASN)"),
        ("-", ""),
        ("", ""),
        ("\uff2c\uff41\uff4b\uff49", "LAKI"),  # full-width letters
        ("Laki\u2013laki", "LAKI LAKI"),  # en dash
    ],
)
def test_normalise_label(raw: str, normal: str) -> None:
    assert normalise_label(raw) == normal


def test_normalise_label_handles_very_long_numbers() -> None:
    assert normalise_label("0" + "1" * 5000) == "1" * 5000


@given(st.text(max_size=30))
def test_normalise_label_is_idempotent(s: str) -> None:
    once = normalise_label(s)
    assert normalise_label(once) == once


@pytest.mark.parametrize("raw", ["1", "L", "l", "Laki-laki", "LAKI LAKI", "laki_laki", "LK", "Pria", 1])
def test_sex_male(raw: str | int) -> None:
    assert lookup(SEX, raw) == "L"


@pytest.mark.parametrize("raw", ["2", "P", "Perempuan", "PR", "wanita", 2, "02"])
def test_sex_female(raw: str | int) -> None:
    assert lookup(SEX, raw) == "P"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1", 1),
        ("Belum Kawin", 1),
        ("KAWIN", 2),
        ("Kawin Tercatat", 2),
        ("KAWIN BELUM TERCATAT", 2),
        ("Cerai Hidup", 3),
        ("cerai mati", 4),
        (4, 4),
        ("4.0", 4),
    ],
)
def test_marital(raw: str | int, code: int) -> None:
    assert lookup(MARITAL, raw) == code


@pytest.mark.parametrize("raw", ["CERAI", "5", "0", "", None, "JANDA"])
def test_marital_unknown(raw: str | None) -> None:
    assert lookup(MARITAL, raw) is None


def test_ever_married() -> None:
    assert EVER_MARRIED == {2, 3, 4}


def test_religion_education_relation() -> None:
    assert lookup(RELIGION, "Katolik") == lookup(RELIGION, "KATHOLIK") == 3
    assert lookup(RELIGION, "Buddha") == 5
    assert lookup(RELIGION, "6") == 6  # current list: KHONGHUCU (old SIAK: LAINNYA)
    assert lookup(RELIGION, "Kepercayaan Terhadap Tuhan YME / Lainnya") == 7
    assert lookup(EDUCATION, "SLTA/Sederajat") == 5
    assert lookup(EDUCATION, "Akademi/Diploma III/S. Muda") == 7
    assert lookup(EDUCATION, "10") == 10
    assert lookup(EDUCATION, "11") is None
    assert lookup(FAMILY_RELATION, "Kepala Keluarga") == 1
    assert lookup(FAMILY_RELATION, "Orang Tua") == lookup(FAMILY_RELATION, "ORANGTUA") == 7
    assert lookup(FAMILY_RELATION, "11") == 11


def test_disability_and_none() -> None:
    assert lookup(DISABILITY, "Cacat Netra/Buta") == 2
    assert lookup(DISABILITY, "6") == 6
    for raw in (None, "", " ", "-", "0", "Tidak Ada", "TIDAK CACAT", "7"):
        assert is_no_disability(raw)
        assert lookup(DISABILITY, raw) is None
    assert not is_no_disability("1")
    assert not is_no_disability("CACAT FISIK")


def test_occupation_current_list() -> None:
    assert len(OCCUPATION_LABELS) == 89
    assert set(OCCUPATION_LABELS) == set(range(1, 90))
    assert lookup(OCCUPATION, "Belum/Tidak Bekerja") == 1
    assert lookup(OCCUPATION, "Pelajar/Mahasiswa") == 3
    assert lookup(OCCUPATION, "Wiraswasta") == 88
    assert lookup(OCCUPATION, "89") == 89
    assert lookup(OCCUPATION, "90") is None


@pytest.mark.parametrize(
    "raw",
    ["APARATUR SIPIL NEGARA (ASN)", "Pegawai Negeri Sipil", "PNS", "ASN", "5"],
)
def test_occupation_older_label(raw: str) -> None:
    assert lookup(OCCUPATION, raw) == 5


def test_occupation_old_siak_labels() -> None:
    assert lookup(OCCUPATION, "TENTARA NASIONAL INDONESIA") == 6
    assert lookup(OCCUPATION, "KEPOLISIAN R.I.") == 7
    assert lookup(OCCUPATION, "Anggota DPR-RI") == 48


def test_citizenship_and_stay_permit() -> None:
    for raw in ("WNI", "wni", "1", "Indonesia", "WN INDONESIA", "WN. Indonesia", "Warga Negara Indonesia", "W.N.I."):
        assert lookup(CITIZENSHIP, raw) == "WNI"
    for raw in ("WNA", "2", "Asing", "WN ASING", "Warga Negara Asing", "ORANG ASING"):
        assert lookup(CITIZENSHIP, raw) == "WNA"
    assert lookup(CITIZENSHIP, "WARGA NKRI") is None  # blanked on import: WNI, warning INVALID_KEWARGANEGARAAN
    assert lookup(STAY_PERMIT, "itap") == lookup(STAY_PERMIT, "KITAP") == "ITAP"
    assert lookup(STAY_PERMIT, "Izin Tinggal Terbatas") == "ITAS"
    assert lookup(STAY_PERMIT, "") is None


def test_vulnerable_groups() -> None:
    assert set(codes.VULNERABLE_GROUP_LABELS) == {
        "BENCANA_ALAM",
        "BENCANA_SOSIAL",
        "ORANG_TERLANTAR",
        "KOMUNITAS_TERPENCIL",
        "TANAH_SENGKETA",
    }
    assert lookup(VULNERABLE_GROUPS, "bencana_alam") == "BENCANA_ALAM"
    assert lookup(VULNERABLE_GROUPS, "Korban Bencana Sosial") == "BENCANA_SOSIAL"
    assert lookup(VULNERABLE_GROUPS, "Lapas") == "ORANG_TERLANTAR"
    assert lookup(VULNERABLE_GROUPS, "Panti Jompo") == "ORANG_TERLANTAR"


@pytest.mark.parametrize("field", sorted(TABLES))
def test_every_code_and_label_resolves_to_itself(field: str) -> None:
    table: Mapping[str, Any] = TABLES[field]
    labels: Mapping[Any, str] = LABELS[field]
    assert set(labels) == set(table.values())
    for value, label in labels.items():
        assert lookup(table, label) == value
        assert lookup(table, str(value)) == value
        assert lookup(table, label.lower()) == value


def test_table_keys_are_normalised_and_read_only() -> None:
    for table in TABLES.values():
        assert all(normalise_label(k) == k for k in table)
        with pytest.raises(TypeError):
            table["X"] = 1  # type: ignore[index]


def test_lookup_rejects_bool_and_unknown() -> None:
    assert lookup(SEX, True) is None
    assert lookup(SEX, "unknown") is None
