"""The counter page and the election-day page (issue #8), htmx over server-rendered parts.

The counter (``/loket``): find a resident by NIK or by name and birth date, see the KTP-el
status at the desk, log a service, take and call queue numbers, see the blanko left. Each
service form carries an idempotency key made when the form was drawn, so a double click or
a retry after a lost answer is stored once. A perekaman for someone already recorded asks
for confirmation; a print the rules refuse says why and offers a surat keterangan, and for a
recorded resident says the IKD can be used meanwhile, with an aktivasi IKD when it is not
active yet (issue 19).

The waiting-room screen (``/loket/layar``) shows the numbers called, large, and no personal
data. The election-day page (``/hari-h``) refreshes its table every 15 seconds.
"""

from __future__ import annotations

import tempfile
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from rekam.domain.services import PRINTS, RECORDED_WORDS, ServiceKind
from rekam.errors import ConfirmationNeeded, InvalidArgument, OpsRefused, PermissionDenied
from rekam.messages import text_in
from rekam.numbers import local_time
from rekam.ops import scope
from rekam.ops.followup import KINDS
from rekam.ops.models import User
from rekam.register import gazetteer
from rekam.reports.follow_up import COLUMNS, cells, follow_up_csv, follow_up_xlsx, headers
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
    if user.role in scope.POINT_ROLES:
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
    point, visible = _point(st, user, sp)
    if nik.strip():
        found = [st.rekam.find_resident(nik, user, point.id)]
    elif nama.strip() and tgl_lahir:
        born = parse_day(tgl_lahir, "tgl_lahir")
        found = st.rekam.search_residents(nama.strip(), born, user, point.id)  # type: ignore[arg-type]
    else:
        raise InvalidArgument("web_search_needs")
    lang = language(request)
    cards = [resident_card(f, point, visible, lang) for f in found]
    return render(request, "_residents.html", user, point=point, cards=cards, key=lambda: uuid.uuid4().hex)


def resident_card(found: Any, point: Any, visible: list[Any], lang: str) -> dict[str, Any]:
    """What the counter shows of a found resident: the status in words with a hint, the
    services the rules accept for it (``services.offered``: a surat keterangan always), desa
    and kecamatan by name, and the history in words at local times."""
    person = found.resident
    word = found.status_word
    names = {p.id: p.name for p in visible}
    desa = person.desa_code if person else None  # dotted, as the register keeps it (13.71.01.1001)
    return {
        "nik": found.nik,
        "resident": person,
        "sex": text_in(lang, f"sex_{person.sex}") if person and person.sex in ("L", "P") else "",
        "desa": desa,
        "kecamatan": desa.rsplit(".", 1)[0] if desa else None,
        "word": word,
        "status_text": text_in(lang, f"status_{word}"),
        "hint": text_in(lang, f"desk_hint_{word}" if person else "desk_hint_unknown"),
        "offered": found.offered,
        "history": [
            {
                "kind": e["jenis"],
                "outcome": e["outcome"],
                "when": local_time(datetime.fromisoformat(e["occurred_at"]), point.timezone or live.DEFAULT_TZ, lang),
                "where": names.get(e["service_point"], e["service_point"]),
            }
            for e in reversed(found.events)
        ],
    }


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
    point, visible = _point(st, user, sp)
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
    if "refused" in outcome and jenis in PRINTS and found.status_word in RECORDED_WORDS:
        # No card today for someone recorded: the surat keterangan, and the IKD meanwhile.
        outcome["ikd_note"] = True
        if ServiceKind.AKTIVASI_IKD in found.offered:  # recorded, not activated yet
            outcome["ikd_key"] = uuid.uuid4().hex
    return render(
        request,
        "_service_result.html",
        user,
        point=point,
        outcome=outcome,
        card=resident_card(found, point, visible, lang),
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


@router.get("/loket/layar")
def waiting_room(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    sp: str | None = None,
    isi: bool = False,
) -> HTMLResponse:
    """The waiting-room screen of a service point (a television by the counters): the number
    being called, large, the numbers called before and how many wait; numbers only, no
    personal data. It refreshes itself every 5 seconds (``isi``: the part that refreshes)."""
    point, _ = _point(st, user, sp)
    if point is None:
        raise InvalidArgument("web_choose_point")
    tickets = st.rekam.queue_tickets(point.id, _today(point), user)
    called = sorted(
        (t for t in tickets if t.called_at is not None),  # type: ignore[attr-defined]
        key=lambda t: t.called_at,  # type: ignore[attr-defined]
        reverse=True,
    )
    screen = {
        "calling": called[0].number if called else None,  # type: ignore[attr-defined]
        "recent": [t.number for t in called[1:6]],  # type: ignore[attr-defined]
        "waiting": sum(1 for t in tickets if t.state == "waiting"),  # type: ignore[attr-defined]
    }
    return render(request, "_screen.html" if isi else "screen.html", user, point=point, screen=screen)


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


FOLLOW_UP_SHOWN = 500  # rows on the page; the download has them all


@router.get("/tindak-lanjut")
def follow_up(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    region: str | None = None,
    jenis: str = "",
    dari: str = "",
    sampai: str = "",
) -> HTMLResponse:
    """The SIAK follow-up cases of the user's region (unknown NIKs at a desk, residents reported
    moved, dead or abroad), filtered by kind, region and days, NIK masked; audited. The download
    (``/tindak-lanjut/unduh``) gives them as Excel or CSV, whole NIKs when asked (``utuh``)."""
    code, rows, filters = _follow_up(st, user, region, jenis, dari, sampai, unmasked=False)
    lang = language(request)
    shown = [dict(zip(COLUMNS, cells(r, False, lang), strict=True)) for r in rows[:FOLLOW_UP_SHOWN]]
    return render(
        request,
        "follow_up.html",
        user,
        code=code,
        rows=shown,
        total=len(rows),
        limit=FOLLOW_UP_SHOWN,
        filters=filters,
        kinds=KINDS,
        headers=dict(zip(COLUMNS, headers(lang), strict=True)),
    )


@router.get("/tindak-lanjut/unduh")
def follow_up_download(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    region: str | None = None,
    jenis: str = "",
    dari: str = "",
    sampai: str = "",
    format: str = "xlsx",
    utuh: bool = False,
) -> Response:
    """The cases as an Excel workbook (``format=xlsx``) or CSV, Indonesian headers, local times;
    whole NIKs only when asked (``utuh``) by a role that may see them, audited."""
    if format not in ("xlsx", "csv"):
        raise InvalidArgument("bad_option", option="format", value=format, hint="xlsx, csv")
    code, rows, _ = _follow_up(st, user, region, jenis, dari, sampai, unmasked=utuh)
    lang = language(request)
    name = f"tindak-lanjut-siak-{(code or 'indonesia').replace('.', '')}"
    if format == "csv":
        body = follow_up_csv(rows, unmasked=utuh, lang=lang).encode("utf-8")
        media = "text/csv; charset=utf-8"
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "tindak-lanjut.xlsx"
            title = f"{text_in(lang, 'follow_up_sheet')} · {region_label(code)}"
            follow_up_xlsx(rows, out, unmasked=utuh, lang=lang, title=title)
            body = out.read_bytes()
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'})


def _follow_up(
    st: WebState, user: User, region: str | None, jenis: str, dari: str, sampai: str, unmasked: bool
) -> tuple[str | None, list[Any], dict[str, str]]:
    code = region_code(region) if region else home_region(user)
    require_by_name(user, code)
    since, until = parse_day(dari or None, "dari"), parse_day(sampai or None, "sampai")
    rows = st.rekam.follow_up_rows(code, user, unmasked=unmasked, kind=jenis or None, since=since, until=until)
    return code, rows, {"region": region or "", "jenis": jenis, "dari": dari, "sampai": sampai}


def region_label(code: str | None) -> str:
    return (gazetteer.name_of(code) or code) if code else "Indonesia"


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
