"""Client idempotency keys: a retried request is stored once.

Every write a client makes at a service point carries a key the client chose (a UUID is
best). Keys are unique per service point (``UNIQUE (service_point_id, idempotency_key)``):
clients at different points cannot collide, and a point's clients share one key space.
The request body is hashed (SHA-256 of its canonical JSON: sorted keys, no spaces); then

    key unseen                      -> the row is created (201)
    key seen with the same hash     -> the stored row is returned, nothing is written (200)
    key seen with another hash      -> IdempotencyConflict, nothing is written (409)

A refused request (a rule said no) stores nothing, so the key stays free for a retry after
the cause is fixed (blanko received, the operator confirmed). Two requests with the same key
at the same moment: one insert wins, the other hits the unique constraint, rolls back, and
answers from the stored row like any retry.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rekam.errors import IdempotencyConflict, OpsInvalid
from rekam.ops.db import OpsDB

T = TypeVar("T")
_KEY = re.compile(r"^[\x21-\x7e]{1,100}$")  # printable ASCII, no spaces


def check_key(key: str | None) -> str:
    if key is None or not _KEY.fullmatch(key):
        raise OpsInvalid("ops_bad_key")
    return key


def body_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def stored(session: Session, model: Any, point_id: str, key: str, digest: str, column: str = "idempotency_key",
           hash_column: str = "request_hash") -> Any | None:  # fmt: skip
    """The row already stored under ``key`` at the point (same body), None if unseen;
    IdempotencyConflict when the key was used with another body."""
    row = session.scalars(
        select(model).where(model.service_point_id == point_id, getattr(model, column) == key)
    ).first()
    if row is not None and getattr(row, hash_column) != digest:
        raise IdempotencyConflict("ops_key_conflict", idempotency_key=key)
    return row


def run(db: OpsDB, model: Any, point_id: str, key: str, digest: str,
        create: Callable[[Session], T], column: str = "idempotency_key",
        hash_column: str = "request_hash") -> tuple[T, bool]:  # fmt: skip
    """``(row, True)`` after ``create`` wrote it in one transaction, or ``(stored row, False)``.

    ``create`` runs inside the write transaction; it should re-check its own rules and add
    its rows. A race on the key ends in the loser reading the winner's row. The key is looked
    up in the write transaction itself, first (no separate read before it: most requests are
    new, and a retry only holds the write transaction for that one look-up).
    """
    try:
        with db.write() as s:
            found = stored(s, model, point_id, key, digest, column, hash_column)
            if found is not None:
                return found, False
            row = create(s)
            s.flush()
        return row, True
    except IntegrityError:
        with db.read() as s:
            found = stored(s, model, point_id, key, digest, column, hash_column)
        if found is None:
            raise
        return found, False
