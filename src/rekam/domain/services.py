"""The services a Dukcapil desk logs (``rekam`` ops): one vocabulary for ops, analytics and web.

- perekaman: a first biometric recording.
- rekam_ulang: a recording again, after a failed one.
- pencetakan: a first KTP-el card printed (uses a blanko).
- pencetakan_ulang: a replacement card printed (uses a blanko).
- surat_keterangan: a certificate given instead of a card (no blanko).
- aktivasi_ikd: the activation of the Identitas Kependudukan Digital (IKD, the digital ID in the
  phone app) by an officer at a counter (a QR scan); only for someone recorded, once a person.
  Not a recording, not a print: no blanko, no change of the KTP-el status.

``ServiceKind`` is a ``StrEnum``: a member equals its string, so the values stored in the ops
database, sent in JSON and accepted in forms stay these strings.
"""

from __future__ import annotations

from enum import StrEnum


class ServiceKind(StrEnum):
    """One kind of service logged at a desk."""

    PEREKAMAN = "perekaman"
    REKAM_ULANG = "rekam_ulang"
    PENCETAKAN = "pencetakan"
    PENCETAKAN_ULANG = "pencetakan_ulang"
    SURAT_KETERANGAN = "surat_keterangan"
    AKTIVASI_IKD = "aktivasi_ikd"


#: Every kind, in the order forms and help list them.
SERVICE_KINDS: tuple[ServiceKind, ...] = tuple(ServiceKind)
#: The kinds that record biometrics (a resident becomes "sudah rekam").
RECORDINGS: frozenset[ServiceKind] = frozenset({ServiceKind.PEREKAMAN, ServiceKind.REKAM_ULANG})
#: The kinds that print a card (each uses a blanko).
PRINTS: frozenset[ServiceKind] = frozenset({ServiceKind.PENCETAKAN, ServiceKind.PENCETAKAN_ULANG})
#: The status words of someone recorded (``StatusWord`` values): who may activate the IKD.
RECORDED_WORDS: frozenset[str] = frozenset({"menunggu_pusat", "siap_cetak", "sudah_cetak", "duplikat"})


def offered(word: str, in_register: bool, ikd_active: bool = False) -> tuple[ServiceKind, ...]:
    """The services a desk offers a resident whose status in words (``StatusWord`` value) is
    ``word``: exactly those the desk's rules accept without a confirmation, a surat keterangan
    always (ops/events.py checks the same rules when the service is logged).

    - not recorded: perekaman (a NIK the register does not know too: a newcomer, flagged for SIAK);
    - recording failed at the centre: rekam ulang;
    - ready to print: pencetakan; printed: pencetakan ulang (a replacement card);
    - waiting at the centre, a duplicate, or a NIK the register does not know that was recorded
      here since: no main service;
    - anyone recorded (waiting at the centre, ready to print, printed, a duplicate; a NIK the
      register does not know recorded here since too) whose IKD is not active yet
      (``ikd_active``): aktivasi IKD, after the main service and before the surat keterangan.
    """
    first: tuple[ServiceKind, ...]
    if word == "belum_rekam":
        first = (ServiceKind.PEREKAMAN,)
    elif word == "perlu_rekam_ulang" and in_register:
        first = (ServiceKind.REKAM_ULANG,)
    elif word == "siap_cetak" and in_register:
        first = (ServiceKind.PENCETAKAN,)
    elif word == "sudah_cetak" and in_register:
        first = (ServiceKind.PENCETAKAN_ULANG,)
    else:
        first = ()
    ikd = (ServiceKind.AKTIVASI_IKD,) if word in RECORDED_WORDS and not ikd_active else ()
    return (*first, *ikd, ServiceKind.SURAT_KETERANGAN)
