"""KTP-el recording status vocabulary."""

import pytest

from rekam.domain.codes import normalise_label
from rekam.domain.recording import (
    STAGE_STATUSES,
    STATUS_VOCABULARY,
    PrintStage,
    RecordingState,
    StatusInfo,
    classify_status,
    is_recorded,
    print_stage,
    stage_sql,
)

B = RecordingState.BELUM_REKAM
S = RecordingState.SUDAH_REKAM
U = RecordingState.PERLU_REKAM_ULANG

SYSTEM = {
    "UNREGISTERED": (B, False, False),
    "BIO_CAPTURED": (S, False, False),  # waits at the centre (FACTS 3.3)
    "PROCESSING": (S, False, False),  # waits at the centre (FACTS 3.3)
    "SENT_FOR_ENROLLMENT": (S, False, False),  # waits at the centre (FACTS 3.3)
    "RECEIVED_AT_CENTRAL": (S, False, False),  # waits at the centre (FACTS 3.3)
    "ADJUDICATE_RECORD": (S, False, False),  # waits at the centre (FACTS 3.3)
    "PRINT_READY_RECORD": (S, False, True),
    "DUPLICATE_RECORD": (S, False, False),
    "ENROLL_FAILURE_AT_CENTRAL": (U, False, False),
    "SEARCH_FAILURE_AT_CENTRAL": (U, False, False),
    "ENROLL_FAILURE_AT_REGIONAL": (U, False, False),
    "SENT_FOR_CARD_PRINTING": (S, True, True),
    "CARD_PRINTED": (S, True, True),
    "CARD_SHIPPED": (S, True, True),
    "CARD_ISSUED": (S, True, True),
}


@pytest.mark.parametrize("name", sorted(SYSTEM))
def test_system_strings(name: str) -> None:
    state, printed, printable = SYSTEM[name]
    for raw in (name, name.replace("_", " "), name.lower(), f" {name.title()} "):
        info = classify_status(raw)
        assert info == StatusInfo(name, state, printed, printable)


@pytest.mark.parametrize(
    ("raw", "canonical", "state", "printed"),
    [
        ("BELUM REKAM", "UNREGISTERED", B, False),
        ("Belum Rekam", "UNREGISTERED", B, False),
        ("SUDAH REKAM", "SUDAH_REKAM", S, False),
        ("PRR", "PRINT_READY_RECORD", S, False),
        ("SFE", "SENT_FOR_ENROLLMENT", S, False),
        ("DUPLICATE", "DUPLICATE_RECORD", S, False),
        ("CETAK", "SUDAH_CETAK", S, True),
        ("Sudah Cetak", "SUDAH_CETAK", S, True),
        ("BELUM WAJIB", "BELUM_WAJIB", B, False),
        # suket codes
        ("Pro", "PROCESSING", S, False),
        ("DUP", "DUPLICATE_RECORD", S, False),
        ("Efac", "ENROLL_FAILURE_AT_CENTRAL", U, False),
        # OpenSID StatusKTPEnum codes
        ("1", "BELUM_WAJIB", B, False),
        ("2", "UNREGISTERED", B, False),
        ("3", "SUDAH_REKAM", S, False),
        ("4", "CARD_PRINTED", S, True),
        ("5", "PRINT_READY_RECORD", S, False),
        ("6", "CARD_SHIPPED", S, True),
        ("7", "SENT_FOR_CARD_PRINTING", S, True),
        ("8", "CARD_ISSUED", S, True),
        ("08", "CARD_ISSUED", S, True),
        # OpenSID labels
        ("PRINT READY RECORD", "PRINT_READY_RECORD", S, False),
        ("SENT FOR CARD PRINTING", "SENT_FOR_CARD_PRINTING", S, True),
    ],
)
def test_labels_and_codes(raw: str, canonical: str, state: RecordingState, printed: bool) -> None:
    info = classify_status(raw)
    assert info is not None
    assert (info.canonical, info.state, info.printed) == (canonical, state, printed)


def test_printable() -> None:
    assert classify_status("PRR").printable  # type: ignore[union-attr]
    assert not classify_status("SUDAH REKAM").printable  # type: ignore[union-attr]  # not known to be PRR
    assert not classify_status("SFE").printable  # type: ignore[union-attr]  # at the centre
    assert not classify_status("DUPLICATE_RECORD").printable  # type: ignore[union-attr]
    assert not classify_status("BELUM REKAM").printable  # type: ignore[union-attr]
    assert not classify_status("EFAC").printable  # type: ignore[union-attr]


@pytest.mark.parametrize("raw", ["", "   ", None, "9", "0", "REKAM", "CERAI"])
def test_empty_or_unknown_is_none(raw: str | None) -> None:
    assert classify_status(raw) is None


def test_vocabulary_keys_are_normalised_and_consistent() -> None:
    for key, info in STATUS_VOCABULARY.items():
        assert normalise_label(key) == key
        # the canonical name classifies to the same meaning
        assert classify_status(info.canonical) == info
        # printed implies printable implies recorded
        assert not info.printed or info.printable
        assert not info.printable or info.state is S
    assert "" not in STATUS_VOCABULARY


def test_is_recorded() -> None:
    assert is_recorded(S)
    assert not is_recorded(B)
    assert not is_recorded(U)
    assert not is_recorded(None)


def test_state_values() -> None:
    assert [s.value for s in RecordingState] == [
        "BELUM_REKAM",
        "SUDAH_REKAM",
        "PERLU_REKAM_ULANG",
    ]


@pytest.mark.parametrize(
    ("raw", "stage"),
    [
        ("PRINT_READY_RECORD", PrintStage.SIAP_CETAK),
        ("PRR", PrintStage.SIAP_CETAK),
        ("5", PrintStage.SIAP_CETAK),
        ("SENT_FOR_ENROLLMENT", PrintStage.MENUNGGU_PUSAT),
        ("BIO_CAPTURED", PrintStage.MENUNGGU_PUSAT),
        ("ADJUDICATE_RECORD", PrintStage.MENUNGGU_PUSAT),
        ("SUDAH REKAM", PrintStage.MENUNGGU_PUSAT),  # does not say it passed deduplication
        ("DUPLICATE_RECORD", PrintStage.DUPLIKAT),
        ("CARD_ISSUED", PrintStage.SUDAH_CETAK),
        ("CETAK", PrintStage.SUDAH_CETAK),
        ("UNREGISTERED", None),
        ("EFAC", None),
        ("BELUM WAJIB", None),
        ("", None),
    ],
)
def test_print_stage(raw: str, stage: PrintStage | None) -> None:
    assert print_stage(classify_status(raw)) is stage


def test_stages_partition_the_recorded_statuses() -> None:
    recorded = {i.canonical for i in STATUS_VOCABULARY.values() if i.state is RecordingState.SUDAH_REKAM}
    stages = list(STAGE_STATUSES.values())
    assert set().union(*stages) == recorded
    assert sum(len(s) for s in stages) == len(recorded)
    assert STAGE_STATUSES[PrintStage.SIAP_CETAK] == {"PRINT_READY_RECORD"}
    assert stage_sql(PrintStage.DUPLIKAT) == "ktp_status IN ('DUPLICATE_RECORD')"


def test_status_in_words_follows_the_state_and_the_printing_stage() -> None:
    from rekam.domain.recording import StatusWord, status_word

    cases = {
        "UNREGISTERED": StatusWord.BELUM_REKAM,
        "BELUM REKAM": StatusWord.BELUM_REKAM,
        None: StatusWord.BELUM_REKAM,
        "ENROLL_FAILURE_AT_CENTRAL": StatusWord.PERLU_REKAM_ULANG,
        "BIO_CAPTURED": StatusWord.MENUNGGU_PUSAT,
        "SENT_FOR_ENROLLMENT": StatusWord.MENUNGGU_PUSAT,
        "PRINT_READY_RECORD": StatusWord.SIAP_CETAK,
        "CARD_PRINTED": StatusWord.SUDAH_CETAK,
        "CARD_ISSUED": StatusWord.SUDAH_CETAK,
        "DUPLICATE_RECORD": StatusWord.DUPLIKAT,
    }
    assert {raw: status_word(raw) for raw in cases} == cases
