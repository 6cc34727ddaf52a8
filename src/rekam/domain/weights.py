"""The ranking's IKD weight as a province may choose it (``analytics.rank`` uses it; ``config``
reads ``REKAM_RANK_IKD_WEIGHT`` with it, without importing the analytics)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

#: The highest IKD weight a province may choose: the recording target (99.4 %) stays the mission.
MAX_IKD_WEIGHT = Decimal("0.5")

_CENT = Decimal("0.01")


def ikd_weight_of(value: object) -> Decimal | None:
    """An IKD weight as an exact decimal: a number from 0 to ``MAX_IKD_WEIGHT`` with at most 2
    decimals (``0.1``, ``"0,2"``); None when it is not one (the caller refuses it)."""
    if isinstance(value, bool):
        return None
    try:
        weight = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    if not weight.is_finite() or not 0 <= weight <= MAX_IKD_WEIGHT or weight != weight.quantize(_CENT):
        return None
    return weight + 0  # -0 -> 0
