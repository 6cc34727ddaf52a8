"""ServiceKind: one vocabulary whose members are the strings stored and sent."""

import json

from rekam.domain.services import PRINTS, RECORDINGS, SERVICE_KINDS, ServiceKind


def test_kinds_are_the_stored_strings():
    assert SERVICE_KINDS == ("perekaman", "rekam_ulang", "pencetakan", "pencetakan_ulang", "surat_keterangan")
    assert json.dumps([ServiceKind.PENCETAKAN]) == '["pencetakan"]'
    assert ServiceKind("rekam_ulang") is ServiceKind.REKAM_ULANG


def test_groups_match_plain_strings_read_back():
    assert {"perekaman", "rekam_ulang"} == RECORDINGS and "rekam_ulang" in RECORDINGS
    assert {"pencetakan", "pencetakan_ulang"} == PRINTS and "pencetakan" in PRINTS
    assert "surat_keterangan" not in RECORDINGS | PRINTS
