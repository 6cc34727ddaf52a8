"""KTP-el recording statuses: the vocabulary of status strings and what each one means.

Three states (DESIGN.md "Recording statuses"; FACTS.md section 3.3):

- BELUM_REKAM: no biometrics (UNREGISTERED, BELUM REKAM, OpenSID's BELUM WAJIB).
- SUDAH_REKAM: recorded (BIO_CAPTURED ... ADJUDICATE_RECORD, PRINT_READY_RECORD,
  DUPLICATE_RECORD, and the card statuses SENT_FOR_CARD_PRINTING ... CARD_ISSUED).
  A DUPLICATE_RECORD person did record, but that record cannot be printed.
- PERLU_REKAM_ULANG: the recording failed at the centre (*_FAILURE_*, suket EFAC) and
  must be redone; counted as not recorded.

Printing (FACTS.md section 3.3: only PRINT_READY_RECORD has passed the centre's
deduplication), for a recorded person, ``print_stage``:

- SUDAH_CETAK: the card was sent for printing or further (SENT_FOR_CARD_PRINTING ...
  CARD_ISSUED, the label SUDAH CETAK).
- SIAP_CETAK: PRINT_READY_RECORD, printable and not printed: what the Dinas can act on
  (``belum_cetak``).
- MENUNGGU_PUSAT: recorded, not yet printable: BIO_CAPTURED, PROCESSING,
  SENT_FOR_ENROLLMENT, RECEIVED_AT_CENTRAL, ADJUDICATE_RECORD, and the bare label SUDAH
  REKAM (OpenSID code 3) that does not say the record passed deduplication.
- DUPLIKAT: DUPLICATE_RECORD, never printable (delete it, then pindah-datang).

Sources: Dinas Dukcapil Purbalingga and Banyumas pages (system strings), OpenSID
app/Enums/StatusKTPEnum.php (codes 1-8), mataairradio.com (suket codes PRO, SFE, PRR,
DUP, EFAC). An empty status is not in the vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from rekam.domain.codes import normalise_label


class RecordingState(StrEnum):
    """Whether a resident has recorded their biometrics for the KTP-el."""

    BELUM_REKAM = "BELUM_REKAM"
    SUDAH_REKAM = "SUDAH_REKAM"
    PERLU_REKAM_ULANG = "PERLU_REKAM_ULANG"


@dataclass(frozen=True)
class StatusInfo:
    """What a status string means.

    ``canonical`` is the KTP-el system string (PRINT_READY_RECORD ...) or, for a label
    that does not pin one, a stable name (SUDAH_REKAM, SUDAH_CETAK, BELUM_WAJIB,
    PERLU_REKAM_ULANG). ``printed``: the card was sent for printing or further.
    ``printable``: the record passed the centre's deduplication, so the card can be (or
    was) printed: PRINT_READY_RECORD or printed.
    """

    canonical: str
    state: RecordingState
    printed: bool
    printable: bool


_B = RecordingState.BELUM_REKAM
_S = RecordingState.SUDAH_REKAM
_U = RecordingState.PERLU_REKAM_ULANG

# Every KTP-el system string, in lifecycle order.
SYSTEM_STATUSES: Mapping[str, StatusInfo] = MappingProxyType(
    {
        name: StatusInfo(name, state, printed, printable)
        for name, state, printed, printable in (
            ("UNREGISTERED", _B, False, False),
            ("BIO_CAPTURED", _S, False, False),
            ("PROCESSING", _S, False, False),
            ("SENT_FOR_ENROLLMENT", _S, False, False),
            ("RECEIVED_AT_CENTRAL", _S, False, False),
            ("ENROLL_FAILURE_AT_CENTRAL", _U, False, False),
            ("SEARCH_FAILURE_AT_CENTRAL", _U, False, False),
            ("ENROLL_FAILURE_AT_REGIONAL", _U, False, False),
            ("ADJUDICATE_RECORD", _S, False, False),
            ("DUPLICATE_RECORD", _S, False, False),
            ("PRINT_READY_RECORD", _S, False, True),
            ("SENT_FOR_CARD_PRINTING", _S, True, True),
            ("CARD_PRINTED", _S, True, True),
            ("CARD_SHIPPED", _S, True, True),
            ("CARD_ISSUED", _S, True, True),
        )
    }
)

_OWN: dict[str, StatusInfo] = {
    "SUDAH_REKAM": StatusInfo("SUDAH_REKAM", _S, False, False),
    "SUDAH_CETAK": StatusInfo("SUDAH_CETAK", _S, True, True),
    "BELUM_WAJIB": StatusInfo("BELUM_WAJIB", _B, False, False),
    "PERLU_REKAM_ULANG": StatusInfo("PERLU_REKAM_ULANG", _U, False, False),
}

# Other labels and codes -> the canonical name they stand for.
_ALIASES: dict[str, str] = {
    # usual labels
    "BELUM REKAM": "UNREGISTERED",
    "BELUM PEREKAMAN": "UNREGISTERED",
    "SUDAH PEREKAMAN": "SUDAH_REKAM",
    "SUDAH REKAM BELUM CETAK": "SUDAH_REKAM",
    "REKAM ULANG": "PERLU_REKAM_ULANG",
    "PRR": "PRINT_READY_RECORD",
    "SFE": "SENT_FOR_ENROLLMENT",
    "DUPLICATE": "DUPLICATE_RECORD",
    "CETAK": "SUDAH_CETAK",
    # suket codes
    "PRO": "PROCESSING",
    "DUP": "DUPLICATE_RECORD",
    "EFAC": "ENROLL_FAILURE_AT_CENTRAL",
    # OpenSID StatusKTPEnum codes 1-8 (its labels are system strings or listed above)
    "1": "BELUM_WAJIB",
    "2": "UNREGISTERED",
    "3": "SUDAH_REKAM",
    "4": "CARD_PRINTED",
    "5": "PRINT_READY_RECORD",
    "6": "CARD_SHIPPED",
    "7": "SENT_FOR_CARD_PRINTING",
    "8": "CARD_ISSUED",
}


def _vocabulary() -> Mapping[str, StatusInfo]:
    canonical = {**SYSTEM_STATUSES, **_OWN}
    entries = list(canonical.items())
    entries += [(alias, canonical[name]) for alias, name in _ALIASES.items()]
    table: dict[str, StatusInfo] = {}
    for raw, info in entries:
        key = normalise_label(raw)
        if table.setdefault(key, info) != info:
            raise ValueError(f"status {key!r} has two meanings")
    return MappingProxyType(table)


# Keyed by normalised label: "PRINT_READY_RECORD" and "print ready record" both find
# the key "PRINT READY RECORD".
STATUS_VOCABULARY: Mapping[str, StatusInfo] = _vocabulary()


def classify_status(raw: str | None) -> StatusInfo | None:
    """What the status string ``raw`` means, or None when it is empty or unknown."""
    if raw is None:
        return None
    return STATUS_VOCABULARY.get(normalise_label(raw))


def is_recorded(state: RecordingState | None) -> bool:
    """True for SUDAH_REKAM (PERLU_REKAM_ULANG counts as not recorded)."""
    return state is RecordingState.SUDAH_REKAM


class PrintStage(StrEnum):
    """Where a recorded person's card is (module docstring; FACTS.md section 3.3)."""

    SUDAH_CETAK = "SUDAH_CETAK"
    SIAP_CETAK = "SIAP_CETAK"
    MENUNGGU_PUSAT = "MENUNGGU_PUSAT"
    DUPLIKAT = "DUPLIKAT"


PRINT_READY = "PRINT_READY_RECORD"
DUPLICATE = "DUPLICATE_RECORD"


def print_stage(info: StatusInfo | None) -> PrintStage | None:
    """The printing stage of a status, or None when it is not a recorded one."""
    if info is None or info.state is not RecordingState.SUDAH_REKAM:
        return None
    if info.printed:
        return PrintStage.SUDAH_CETAK
    if info.canonical == DUPLICATE:
        return PrintStage.DUPLIKAT
    if info.printable:
        return PrintStage.SIAP_CETAK
    return PrintStage.MENUNGGU_PUSAT


def _canonical_in(stage: PrintStage) -> frozenset[str]:
    return frozenset(info.canonical for info in STATUS_VOCABULARY.values() if print_stage(info) is stage)


# The canonical status names (as the register stores them) of each printing stage.
STAGE_STATUSES: Mapping[PrintStage, frozenset[str]] = MappingProxyType(
    {stage: _canonical_in(stage) for stage in PrintStage}
)
PRINTED_STATUSES: frozenset[str] = STAGE_STATUSES[PrintStage.SUDAH_CETAK]


def stage_sql(stage: PrintStage, column: str = "ktp_status") -> str:
    """An SQL condition: ``column`` (a canonical status) is in ``stage``."""
    names = ", ".join(f"'{name}'" for name in sorted(STAGE_STATUSES[stage]))
    return f"{column} IN ({names})"


class StatusWord(StrEnum):
    """A person's KTP-el status in words, one vocabulary for screens and files (issue 16): the
    message key ``status_<value>`` gives the words in the user's language."""

    BELUM_REKAM = "belum_rekam"
    PERLU_REKAM_ULANG = "perlu_rekam_ulang"
    MENUNGGU_PUSAT = "menunggu_pusat"
    SIAP_CETAK = "siap_cetak"
    SUDAH_CETAK = "sudah_cetak"
    DUPLIKAT = "duplikat"


_STAGE_WORDS: Mapping[PrintStage, StatusWord] = MappingProxyType(
    {
        PrintStage.SUDAH_CETAK: StatusWord.SUDAH_CETAK,
        PrintStage.SIAP_CETAK: StatusWord.SIAP_CETAK,
        PrintStage.MENUNGGU_PUSAT: StatusWord.MENUNGGU_PUSAT,
        PrintStage.DUPLIKAT: StatusWord.DUPLIKAT,
    }
)


def status_word(ktp_status: str | None) -> StatusWord:
    """The words for a register status (as stored: a canonical name): not recorded, to record
    again, or the printing stage of a recorded person. An unknown status reads as not recorded."""
    info = classify_status(ktp_status)
    if info is None or info.state is RecordingState.BELUM_REKAM:
        return StatusWord.BELUM_REKAM
    if info.state is RecordingState.PERLU_REKAM_ULANG:
        return StatusWord.PERLU_REKAM_ULANG
    stage = print_stage(info)
    return _STAGE_WORDS[stage] if stage is not None else StatusWord.MENUNGGU_PUSAT
