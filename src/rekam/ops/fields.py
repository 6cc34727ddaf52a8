"""Text a client sends that the ops database stores: notes, names, point ids, counterparts.

PostgreSQL cannot store a NUL byte in text (psycopg raises DataError), no database stores a
lone UTF-16 surrogate (the driver cannot encode it), and other control characters (ESC, BEL
...) in a note or a name only ever come from a broken or hostile client: they would reach the
printed reconciliation and the CSV exports. So every stored text is checked here, in the
library, before any transaction: a bad one is ``OpsRefused("ops_bad_text", field=...)`` (HTTP
422, the CLI's one-line error) naming the field, never a database error that a client retries.
Tab, line feed and carriage return stay allowed in multi-line fields (a note from a textarea).
"""

from __future__ import annotations

import unicodedata

from rekam.errors import OpsRefused

_MULTILINE_OK = frozenset("\t\n\r")
NOTE_MAX = 500


def check_text(value: str | None, field: str, multiline: bool = False) -> str | None:
    """``value`` unchanged, or ``OpsRefused`` when it holds a control character (Unicode Cc:
    NUL, ESC, DEL, C1 ...; tab and line breaks allowed with ``multiline``) or a lone surrogate."""
    if value is None:
        return None
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cs" or (category == "Cc" and not (multiline and ch in _MULTILINE_OK)):
            raise OpsRefused("ops_bad_text", field=field)
    return value


def note(value: str | None, field: str = "note") -> str | None:
    """A free-text note as stored: checked, stripped, at most NOTE_MAX characters, None when empty."""
    return (check_text(value, field, multiline=True) or "").strip()[:NOTE_MAX] or None
