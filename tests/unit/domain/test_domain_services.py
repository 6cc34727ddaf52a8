"""ServiceKind: one vocabulary whose members are the strings stored and sent."""

import json

from rekam.domain.services import PRINTS, RECORDINGS, SERVICE_KINDS, ServiceKind, offered


def test_kinds_are_the_stored_strings():
    assert SERVICE_KINDS == (
        "perekaman",
        "rekam_ulang",
        "pencetakan",
        "pencetakan_ulang",
        "surat_keterangan",
        "aktivasi_ikd",
    )
    assert json.dumps([ServiceKind.PENCETAKAN]) == '["pencetakan"]'
    assert ServiceKind("rekam_ulang") is ServiceKind.REKAM_ULANG


def test_groups_match_plain_strings_read_back():
    assert {"perekaman", "rekam_ulang"} == RECORDINGS and "rekam_ulang" in RECORDINGS
    assert {"pencetakan", "pencetakan_ulang"} == PRINTS and "pencetakan" in PRINTS
    assert "surat_keterangan" not in RECORDINGS | PRINTS
    assert "aktivasi_ikd" not in RECORDINGS | PRINTS


def test_the_ikd_activation_is_offered_to_the_recorded_not_yet_active_before_the_suket():
    assert offered("siap_cetak", True) == ("pencetakan", "aktivasi_ikd", "surat_keterangan")
    assert offered("sudah_cetak", True) == ("pencetakan_ulang", "aktivasi_ikd", "surat_keterangan")
    for word in ("menunggu_pusat", "duplikat"):
        assert offered(word, True) == ("aktivasi_ikd", "surat_keterangan")
    assert offered("menunggu_pusat", False) == ("aktivasi_ikd", "surat_keterangan")  # recorded here since
    assert offered("belum_rekam", False) == ("perekaman", "surat_keterangan")
    assert offered("perlu_rekam_ulang", True) == ("rekam_ulang", "surat_keterangan")
    assert offered("siap_cetak", True, ikd_active=True) == ("pencetakan", "surat_keterangan")
