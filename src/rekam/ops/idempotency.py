"""Client idempotency keys: a retried request is stored once.

Every write a client makes at a service point carries a key the client chose (a UUID is
best). Keys are unique per service point (``UNIQUE (service_point_id, idempotency_key)``):
clients at different points cannot collide, and a point's clients share one key space.
The request body is hashed (SHA-256 of its canonical JSON: sorted keys, no spaces); then

    key unseen                      -> the row is created (201)
    key seen with the same hash     -> the stored row is returned, nothing is written (200)
    key seen with another hash      -> IdempotencyConflict, nothing is written (409)

A refused request (a rule said no) stores nothing, so the key stays free for a retry after
the cause is fixed (blanko received, the operator confirmed).

Order inside the one write transaction (``run``), the same for every kind of write:

1. ``guard``: the acting user (re-read: a token's user is cached for seconds) and the scope
   check of the point, then the locks that serialise this kind of write (the point's row, the
   NIK's advisory lock). A point outside the caller's scope is refused here (403) before the
   key is looked up, so the answer never tells whether another point used a key (409 vs 403).
2. The key is looked up. Because the locks are held, a request identical to one that was still
   running has to wait for it and then finds its row (PostgreSQL, READ COMMITTED: the look-up
   is a new statement and sees the winner's commit), so it answers as a retry (200) instead of
   having the business rules judge the state the first one created (428 "confirm", 422 "already
   printed", "not enough blanko").
3. ``create``: the rules and the rows. Writes that take no lock (a follow-up report) can still
   race: the second insert meets the unique constraint, rolls back, and answers from the stored
   row like any retry.
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
G = TypeVar("G")
_KEY = re.compile(r"^[\x21-\x7e]{1,100}$")  # printable ASCII, no spaces


def check_key(key: str | None) -> str:
    if key is None or not _KEY.fullmatch(key):
        raise OpsInvalid("ops_bad_key")
    return key


def body_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()  # a hash never fails on a bad value


def stored(
    session: Session,
    model: Any,
    point_id: str,
    key: str,
    digest: str,
    column: str = "idempotency_key",
    hash_column: str = "request_hash",
) -> Any | None:
    """The row already stored under ``key`` at the point (same body), None if unseen;
    IdempotencyConflict when the key was used with another body."""
    row = session.scalars(
        select(model).where(model.service_point_id == point_id, getattr(model, column) == key)
    ).first()
    return same_body(row, key, digest, hash_column)


def same_body(row: Any | None, key: str, digest: str, hash_column: str = "request_hash") -> Any | None:
    """``row`` (stored under ``key``) when its body hash is ``digest``; IdempotencyConflict when
    the key was used with another body; None for no row."""
    if row is not None and getattr(row, hash_column) != digest:
        raise IdempotencyConflict("ops_key_conflict", idempotency_key=key)
    return row


def run(
    db: OpsDB,
    model: Any,
    point_id: str,
    key: str,
    digest: str,
    guard: Callable[[Session], G],
    create: Callable[[Session, G], T],
    column: str = "idempotency_key",
    hash_column: str = "request_hash",
    lookup: Callable[[Session, G], Any | None] | None = None,
) -> tuple[T, bool]:
    """``(row, True)`` after ``create`` wrote it in one transaction, or ``(stored row, False)``.

    In the write transaction: ``guard(session)`` checks the actor and the point's scope and
    takes the write's locks (PermissionDenied before anything about the key is known); then the
    key is looked up (``stored``, or ``lookup(session, guarded)`` when given: a caller that reads
    the key's row together with what ``create`` needs, answering as ``stored`` does); then
    ``create(session, guarded)`` checks its rules and adds its rows. A race on the key that no
    lock serialised ends in the loser reading the winner's row.
    """
    try:
        with db.write() as s:
            guarded = guard(s)
            if lookup is not None:
                found = lookup(s, guarded)
            else:
                found = stored(s, model, point_id, key, digest, column, hash_column)
            if found is not None:
                return found, False
            row = create(s, guarded)
            s.flush()
        return row, True
    except IntegrityError:
        # The guard passed in the transaction that failed: the caller may see the point.
        with db.read() as s:
            found = stored(s, model, point_id, key, digest, column, hash_column)
        if found is None:
            raise
        return found, False
