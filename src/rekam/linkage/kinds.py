"""Kinds of outside list, and what the kind tells the match (issue #6).

A kind sets the prior share of the list expected in the register (``match_rate``), which
moves the prior match probability (``model.prior``): nearly every voter on a DPT is a
resident; a school's roll has pupils from other provinces; a lapas or panti holds people
registered elsewhere, or not at all. When ``--kind`` is not given it is read from the list's
own ID column (NISN: sekolah, NO_DPT: dpt, NO_REGISTER: lapas), else ``lainnya``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListKind:
    name: str
    match_rate: float  # the share of the list expected in the register


KINDS: dict[str, ListKind] = {
    k.name: k
    for k in (
        ListKind("sekolah", 0.90),
        ListKind("dpt", 0.95),
        ListKind("lapas", 0.80),
        ListKind("panti", 0.80),
        ListKind("lainnya", 0.90),
    )
}

#: The list's own ID header (normalised, ``register.schema.header_key``) -> its kind.
_ID_KIND = {"NISN": "sekolah", "NIS": "sekolah", "NODPT": "dpt", "NOREGISTER": "lapas", "NOREG": "lapas"}


def kind_of(name: str | None, header_keys: list[str] | tuple[str, ...] = ()) -> ListKind:
    """The kind named (``sekolah``, ``dpt``, ``lapas``, ``panti``, ``lainnya``), or the one the
    list's headers show; ``KeyError`` for an unknown name."""
    if name:
        return KINDS[name]
    for key in header_keys:
        if key in _ID_KIND:
            return KINDS[_ID_KIND[key]]
    return KINDS["lainnya"]
