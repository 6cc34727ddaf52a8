"""The blanko page of a service point (``/loket/blanko?sp=ID``, issue 17): the balance, the
day's movements in words, forms to receive, transfer, return, record spoiled cards and count,
the daily print cap (for those who may set it) and the first rows of the priority list.

Each form carries an idempotency key drawn with the page, so a double click or a resent form
is stored once; a stored movement redirects back to the page (post, redirect, get). A refusal
(not enough blanko, a point outside the kab/kota, a bad number) draws the page again with the
message in words and status 422 (409 for a key sent again with another body); a point that is
not the user's is 403 (the app's error page). Everything goes through the library.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rekam.errors import IdempotencyConflict, InvalidArgument, OpsInvalid, OpsRefused, RekamUserError, SnapshotError
from rekam.messages import text_in
from rekam.ops import scope
from rekam.ops.models import User
from rekam.register import gazetteer
from rekam.web.context import WebState, language, state
from rekam.web.desk_pages import _point, _today
from rekam.web.pages import page_user, render

router = APIRouter(include_in_schema=False)

#: The form's action -> the ledger's kind.
MOVES = {"terima": "received", "pindah": "transfer_out", "kembali": "returned", "rusak": "spoiled"}
PRIORITY_ROWS = 10
#: Where a count form sends the user back to.
RETURNS = {"blanko": "/loket/blanko", "rekonsiliasi": "/loket/rekonsiliasi"}


def _local_time(point: Any, at: Any) -> str:
    return str(at.astimezone(ZoneInfo(point.timezone)).strftime("%H.%M"))


def _page(
    request: Request,
    st: WebState,
    user: User,
    point: Any,
    visible: list[Any],
    message: str | None = None,
    status: int = 200,
    saved: str | None = None,
) -> HTMLResponse:
    if point is None:
        return render(request, "blanko.html", user, point=None, points=visible)
    today = _today(point)
    report = st.rekam.reconcile_day(point.id, today, user)
    entries = st.rekam.blanko_entries(point.id, today, user)
    # Movements by hand one a line, newest first; the cards the day's prints took, added up (a
    # busy counter prints hundreds: they are in the reconciliation, event by event).
    movements = [
        {"time": _local_time(point, e.occurred_at), "kind": e.kind, "quantity": abs(e.quantity), "entry": e}
        for e in reversed(entries)
        if e.event_id is None
    ]
    by_prints = {
        kind: sum(1 for e in entries if e.event_id is not None and e.kind == kind) for kind in ("used", "spoiled")
    }
    info = st.rekam.service_point(point.id, user)
    priority: Any = None
    priority_error = None
    try:
        priority = st.rekam.blanko_priority(point.id, user, limit=PRIORITY_ROWS)
    except (SnapshotError, RekamUserError) as exc:
        priority_error = text_in(language(request), exc.key, **exc.params)
    names = {p.id: p.name for p in visible}
    targets = st.rekam.blanko_transfer_targets(point.id, user)
    names |= {p.id: p.name for p in targets}
    return render(
        request,
        "blanko.html",
        user,
        status_code=status,
        point=point,
        points=visible,
        left=st.rekam.blanko_left(point.id, user),
        report=report,
        movements=movements,
        by_prints=by_prints,
        names=names,
        cap=info.daily_print_cap,
        prints_today=report.cards_printed + report.prints_failed,
        may_cap=user.role not in scope.POINT_ROLES,
        targets=targets,
        priority=priority,
        priority_error=priority_error,
        message=message,
        saved=saved,
        key=lambda: uuid.uuid4().hex,
        today=today,
        desa_name=lambda code: gazetteer.name_of(code) or code,
    )


@router.get("/loket/blanko")
def blanko_page(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    sp: str | None = None,
    ok: str | None = None,
) -> HTMLResponse:
    point, visible = _point(st, user, sp)
    return _page(request, st, user, point, visible, saved=ok if ok in ("baru", "ulang") else None)


def _whole(value: str, key: str, top: int) -> int:
    """A form's number: a whole number, or the ledger's own refusal."""
    try:
        return int(value.strip())
    except ValueError:
        raise OpsInvalid(key, value=value[:20], max=top) from None


def _saved(sp: str, created: bool, back: str = "blanko", day: str | None = None) -> RedirectResponse:
    query = {"sp": sp, "ok": "baru" if created else "ulang"}
    if day:
        query["tanggal"] = day
    return RedirectResponse(f"{RETURNS[back]}?{urlencode(query)}", status_code=303)


def _refused(request: Request, st: WebState, user: User, sp: str, exc: RekamUserError) -> HTMLResponse:
    point, visible = _point(st, user, sp)
    message = text_in(language(request), exc.key, **exc.params)
    return _page(
        request, st, user, point, visible, message=message, status=409 if isinstance(exc, IdempotencyConflict) else 422
    )


@router.post("/loket/blanko/hitung")
def count(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    sp: Annotated[str, Form()],
    key: Annotated[str, Form()],
    dihitung: Annotated[str, Form()],
    catatan: Annotated[str, Form()] = "",
    kembali: Annotated[str, Form()] = "blanko",
) -> Response:
    from rekam.ops.blanko import MAX_QUANTITY

    point, _ = _point(st, user, sp)
    if point is None:
        raise InvalidArgument("web_choose_point")
    try:
        counted = _whole(dihitung, "ops_bad_count", MAX_QUANTITY)
        found, created = st.rekam.blanko_count(point.id, counted, key, catatan.strip() or None, user)
    except (OpsInvalid, OpsRefused, IdempotencyConflict) as exc:
        return _refused(request, st, user, point.id, exc)
    back = kembali if kembali in RETURNS else "blanko"
    return _saved(point.id, created, back, found.service_date.isoformat() if back == "rekonsiliasi" else None)


@router.post("/loket/blanko/batas")
def print_cap(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    sp: Annotated[str, Form()],
    batas: Annotated[str, Form()] = "",
) -> Response:
    from rekam.ops.points import MAX_PRINT_CAP

    point, _ = _point(st, user, sp)
    if point is None:
        raise InvalidArgument("web_choose_point")
    try:
        cap = _whole(batas, "ops_bad_print_cap", MAX_PRINT_CAP) if batas.strip() else None
        st.rekam.set_print_cap(point.id, cap, user)
    except OpsInvalid as exc:
        return _refused(request, st, user, point.id, exc)
    return _saved(point.id, True)


@router.post("/loket/blanko/{action}")
def move(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    action: str,
    sp: Annotated[str, Form()],
    key: Annotated[str, Form()],
    jumlah: Annotated[str, Form()],
    tujuan: Annotated[str, Form()] = "",
    catatan: Annotated[str, Form()] = "",
) -> Response:
    from rekam.ops.blanko import MAX_QUANTITY

    if action not in MOVES:
        raise InvalidArgument("bad_option", option="blanko", value=action[:20], hint=", ".join(MOVES))
    point, _ = _point(st, user, sp)
    if point is None:
        raise InvalidArgument("web_choose_point")
    kind = MOVES[action]
    try:
        quantity = _whole(jumlah, "ops_bad_quantity", MAX_QUANTITY)
        counterpart = (tujuan.strip() or None) if kind == "transfer_out" else None
        _, created = st.rekam.blanko_record(point.id, kind, quantity, key, counterpart, catatan.strip() or None, user)
    except (OpsInvalid, OpsRefused, IdempotencyConflict) as exc:
        return _refused(request, st, user, point.id, exc)
    return _saved(point.id, created)
