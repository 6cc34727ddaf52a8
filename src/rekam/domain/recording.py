"""KTP-el recording statuses: the vocabulary of status strings and what each one means.

Three states (DESIGN.md "Recording statuses"; FACTS.md section 3.3):

- BELUM_REKAM: no biometrics (UNREGISTERED, BELUM REKAM, OpenSID's BELUM WAJIB).
- SUDAH_REKAM: recorded (BIO_CAPTURED ... ADJUDICATE_RECORD, PRINT_READY_RECORD,
  DUPLICATE_RECORD, and the card statuses SENT_FOR_CARD_PRINTING ... CARD_ISSUED).
  A DUPLICATE_RECORD person did record, but that record cannot be printed.
- PERLU_REKAM_ULANG: the recording failed at the centre (*_FAILURE_*, suket EFAC) and
  must be redone; counted as not recorded.

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
    ``printable``: recorded and the card can be (or was) printed.
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
            ("BIO_CAPTURED", _S, False, True),
            ("PROCESSING", _S, False, True),
            ("SENT_FOR_ENROLLMENT", _S, False, True),
            ("RECEIVED_AT_CENTRAL", _S, False, True),
            ("ENROLL_FAILURE_AT_CENTRAL", _U, False, False),
            ("SEARCH_FAILURE_AT_CENTRAL", _U, False, False),
            ("ENROLL_FAILURE_AT_REGIONAL", _U, False, False),
            ("ADJUDICATE_RECORD", _S, False, True),
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
    "SUDAH_REKAM": StatusInfo("SUDAH_REKAM", _S, False, True),
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
