"""The counter page and the election-day page (issue #8), htmx over server-rendered parts.

The counter (``/loket``): find a resident by NIK or by name and birth date, see the KTP-el
status at the desk, log a service, take and call queue numbers, see the blanko left. Each
service form carries an idempotency key made when the form was drawn, so a double click or
a retry after a lost answer is stored once. A perekaman for someone already recorded asks
for confirmation; a print the rules refuse says why and offers a surat keterangan.

The election-day page (``/hari-h``) refreshes its table every 15 seconds.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from rekam.errors import ConfirmationNeeded, InvalidArgument, OpsRefused, PermissionDenied
from rekam.messages import text_in
from rekam.ops.models import User
from rekam.reports.follow_up import follow_up_csv
from rekam.web import live
from rekam.web.context import (
    WebState,
    home_region,
    language,
    parse_day,
    region_code,
    require_by_name,
    require_region,
    state,
)
from rekam.web.pages import page_user, render

router = APIRouter(include_in_schema=False)


def _point(st: WebState, user: User, sp: str | None) -> Any:
    """The service point the counter works for: the operator's own, or one the user may see."""
    visible = st.rekam.list_service_points(actor=user)
    if user.role == "operator":
        if sp and sp != user.service_point_id:
            raise PermissionDenied("ops_forbidden")
        sp = user.service_point_id
    wanted = sp or (visible[0].id if len(visible) == 1 else None)  # type: ignore[attr-defined]
    for p in visible:
        if p.id == wanted:  # type: ignore[attr-defined]
            return p, visible
    if sp:
        raise PermissionDenied("ops_forbidden")
    return None, visible


def _queue(st: WebState, user: User, point: Any) -> dict[str, Any]:
    tickets = st.rekam.queue_tickets(point.id, _today(point), user)
    waiting = [t for t in tickets if t.state == "waiting"]  # type: ignore[attr-defined]
    called = [t for t in tickets if t.state == "called"]  # type: ignore[attr-defined]
    return {
        "waiting": len(waiting),
        "called": called[-1] if called else None,
        "last": tickets[-1] if tickets else None,
        "key": uuid.uuid4().hex,
    }


def _today(point: Any) -> date:
    """Today at the service point (``PointInfo``), in its own time zone."""
    return datetime.now(ZoneInfo(point.timezone or live.DEFAULT_TZ)).date()


@router.get("/loket")
def counter(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    sp: str | None = None,
) -> HTMLResponse:
    point, visible = _point(st, user, sp)
    context: dict[str, Any] = {"point": point, "points": visible}
    if point is not None:
        context |= {"left": st.rekam.blanko_left(point.id, user), "queue": _queue(st, user, point)}
    return render(request, "counter.html", user, **context)


@router.get("/loket/cari")
def find(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    sp: str,
    nik: str = "",
    nama: str = "",
    tgl_lahir: str = "",
) -> HTMLResponse:
    point, _ = _point(st, user, sp)
    if nik.strip():
        found = [st.rekam.find_resident(nik.strip(), user, point.id)]
    elif nama.strip() and tgl_lahir:
        born = parse_day(tgl_lahir, "tgl_lahir")
        found = st.rekam.search_residents(nama.strip(), born, user, point.id)  # type: ignore[arg-type]
    else:
        raise InvalidArgument("web_search_needs")
    return render(request, "_residents.html", user, point=point, found=found, key=lambda: uuid.uuid4().hex)


@router.post("/loket/layanan")
def log(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    sp: Annotated[str, Form()],
    nik: Annotated[str, Form()],
    jenis: Annotated[str, Form()],
    key: Annotated[str, Form()],
    confirm: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    point, _ = _point(st, user, sp)
    lang = language(request)
    outcome: dict[str, Any] = {"nik": nik, "jenis": jenis, "key": key}
    try:
        event, created = st.rekam.log_service(user, nik, jenis, point.id, key, confirm=confirm)
        outcome |= {"event": event, "created": created}
    except ConfirmationNeeded as exc:
        outcome |= {"confirm": text_in(lang, exc.key, **exc.params)}
    except OpsRefused as exc:
        outcome |= {"refused": text_in(lang, exc.key, **exc.params), "sk_key": uuid.uuid4().hex}
    found = st.rekam.find_resident(nik, user, point.id)
    return render(
        request,
        "_service_result.html",
        user,
        point=point,
        outcome=outcome,
        found=found,
        left=st.rekam.blanko_left(point.id, user),
        key=lambda: uuid.uuid4().hex,
    )


@router.post("/loket/antrian/{action}")
def queue_action(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    action: str,
    sp: Annotated[str, Form()],
    key: Annotated[str, Form()] = "",
    number: Annotated[int, Form()] = 0,
) -> HTMLResponse:
    point, _ = _point(st, user, sp)
    taken = None
    if action == "ambil":
        taken, _created = st.rekam.queue_take(point.id, key, None, user)
    elif action == "panggil":
        st.rekam.queue_call_next(point.id, key or None, user)
    elif action in ("served", "no_show"):
        st.rekam.queue_finish(point.id, number, action, None, user)
    else:
        raise InvalidArgument("bad_option", option="antrian", value=action, hint="ambil, panggil, served, no_show")
    return render(request, "_queue.html", user, point=point, queue=_queue(st, user, point), taken=taken)


@router.get("/loket/rekonsiliasi")
def reconciliation(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    sp: str | None = None,
    tanggal: str | None = None,
) -> HTMLResponse:
    """The end-of-day reconciliation of a service point, ready to print (and sign)."""
    point, _ = _point(st, user, sp)
    if point is None:
        raise InvalidArgument("web_choose_point")
    day = parse_day(tanggal, "tanggal") or _today(point)
    report = st.rekam.reconcile_day(point.id, day, user)
    lang = language(request)
    problems = [text_in(lang, p.key, **p.figures) for p in report.problems]  # type: ignore[attr-defined]
    zone = ZoneInfo(point.timezone or live.DEFAULT_TZ)
    count_times = [  # the day's physical counts at the point's local time (blanko page, issue 17)
        datetime.fromisoformat(c["at"]).astimezone(zone).strftime("%H.%M")
        for c in report.counts  # type: ignore[attr-defined]
    ]
    return render(
        request,
        "reconcile.html",
        user,
        point=point,
        report=report,
        problems=problems,
        count_times=count_times,
        key=lambda: uuid.uuid4().hex,
        back="rekonsiliasi",
        is_today=day == _today(point),  # a count is of the shelf now: its form only on today's page
        saved=request.query_params.get("ok"),
    )


@router.get("/tindak-lanjut")
def follow_up(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    region: str | None = None,
    utuh: bool = False,
) -> Response:
    """The SIAK follow-up cases of the user's region (unknown NIKs, reported moves and deaths)
    as CSV; NIK masked unless ``utuh`` (roles that may see by-name data); audited."""
    code = region_code(region) if region else home_region(user)
    require_by_name(user, code)
    rows = st.rekam.follow_up_rows(code, user, unmasked=utuh)
    body = follow_up_csv(rows, unmasked=utuh)  # type: ignore[arg-type]
    name = f"tindak-lanjut-siak-{(code or 'indonesia').replace('.', '')}.csv"
    return Response(body, media_type="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/hari-h")
@router.get("/hari-h/{code}")
def election_day(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    code: str | None = None,
    tanggal: str | None = None,
    isi: bool = False,
) -> HTMLResponse:
    dotted = region_code(code) if code else (None if user.role == "admin-pusat" else user.region)
    require_region(user, dotted)
    view = live.day_view(st, dotted, parse_day(tanggal, "tanggal"))
    return render(
        request, "_election_table.html" if isi else "election.html", user, view=view, code=dotted, tanggal=tanggal or ""
    )
