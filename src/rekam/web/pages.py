"""The pages: server-rendered (Jinja2), small, in Bahasa Indonesia by default (issue #7).

Every page needs a login (the token cookie) and checks the region against the user's scope
before anything is read; by-name pages and downloads are audited. Errors are turned into a
page (or a redirect to the login) in ``app.py``, the one place for that.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.background import BackgroundTask

from rekam import audit
from rekam.analytics.lists import KINDS
from rekam.api.lists import desk_mark_text
from rekam.domain.recording import status_word
from rekam.errors import InvalidArgument, PermissionDenied
from rekam.messages import text_in
from rekam.ops.models import User
from rekam.register import gazetteer
from rekam.reports.cells import shown_nik
from rekam.sites.boundaries import load_boundaries
from rekam.web import auth, mapsvg, plans, replan, text
from rekam.web.context import (
    BY_NAME_ROLES,
    WebState,
    home_region,
    language,
    parse_day,
    region_code,
    require_by_name,
    require_region,
    state,
)
from rekam.web.figures import live_as_of
from rekam.web.views import ranking_explained, region_view, trend_svg

T = TypeVar("T")

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters["num"] = text.number
templates.env.filters["pct"] = text.percent
templates.env.filters["day"] = text.day
templates.env.filters["region_name"] = lambda code: gazetteer.name_of(code) or code if code else "Indonesia"
templates.env.filters["long_day"] = plans.long_day_filter  # "Kamis, 14 Nov 2024" (issue 17)
templates.env.globals["band"] = mapsvg.band  # the colour bands of the bars and the map (issue 16)
templates.env.globals["BANDS"] = mapsvg.BANDS


def page_user(request: Request, st: Annotated[WebState, Depends(state)]) -> User:
    return auth.user_of(st.db, st.key, request.cookies.get(auth.COOKIE))


def render(
    request: Request, template: str, user: User | None, /, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """``template`` with ``context`` (positional-only arguments: a context key may be ``name``)."""
    lang = language(request)
    response = templates.TemplateResponse(
        request,
        template,
        {
            "user": user,
            "lang": lang,
            "t": lambda key: text.label(lang, key),
            "by_name": bool(user and user.role in BY_NAME_ROLES),
            **context,
        },
        status_code=status_code,
    )
    if request.query_params.get("lang") in text.LANGS:
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax", secure=_secure(request))
    return response


def _secure(request: Request) -> bool:
    """REKAM_COOKIE_SECURE: cookies sent over HTTPS only (a deployment behind TLS)."""
    return bool(request.app.state.rekam.settings.cookie_secure)


@router.get("/login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:  # noqa: A002 - the form's own name
    return render(request, "login.html", None, next=auth.safe_next(next), error=None)


@router.post("/login")
def login(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",  # noqa: A002
) -> Response:
    """Log in: only a path on this site is followed after it (``auth.safe_next``); the form is
    throttled per name and address (``ops/logins.py``) and refused from other sites (``security.Guard``)."""
    from rekam.errors import LoginThrottled, NotAuthenticated

    address = request.client.host if request.client else None
    try:
        token = auth.login(st.db, st.key, username, password, address, st.settings.login_limits)
    except (NotAuthenticated, LoginThrottled) as exc:
        error = text_in(language(request), exc.key, **exc.params)
        status = 429 if isinstance(exc, LoginThrottled) else 401
        return render(request, "login.html", None, status_code=status, next=auth.safe_next(next), error=error)
    response = RedirectResponse(auth.safe_next(next), status_code=303)
    response.set_cookie(
        auth.COOKIE, token, httponly=True, samesite="strict", max_age=auth.TOKEN_HOURS * 3600, secure=_secure(request)
    )
    return response


@router.post("/logout")
def logout(request: Request, st: Annotated[WebState, Depends(state)]) -> Response:
    """Log out everywhere: every token of the user ends (this browser, others, API clients)."""
    auth.logout(st.db, st.key, request.cookies.get(auth.COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.COOKIE, httponly=True, samesite="strict", secure=_secure(request))
    return response


@router.get("/")
def index(user: Annotated[User, Depends(page_user)]) -> Response:
    """Where a user lands after logging in: an operator at the counter, a team leader (tim) on
    the team's field page, the others on their region."""
    if user.role == "operator":
        return RedirectResponse("/loket", status_code=303)
    if user.role == "tim":
        return RedirectResponse("/lapangan", status_code=303)
    code = home_region(user)
    return RedirectResponse(f"/wilayah/{code}" if code else "/wilayah", status_code=303)


def _election(st: WebState, value: str | None) -> date | None:
    return parse_day(value, "pemilihan") or st.election_date


#: The cookie that remembers the live switch (``?live=0``: the snapshot alone; ``?live=1``: back).
LIVE_COOKIE = "live"


def _live(request: Request) -> bool:
    """The live switch: ``?live=0|1`` (then remembered), else the cookie, else live."""
    value = request.query_params.get("live")
    if value is None:
        return request.cookies.get(LIVE_COOKIE) != "0"
    if value not in ("0", "1"):
        raise InvalidArgument("bad_option", option="live", value=value, hint="0, 1")
    return value == "1"


def _remember_live(request: Request, response: HTMLResponse, live: bool) -> HTMLResponse:
    if request.query_params.get("live") is not None:
        response.set_cookie(
            LIVE_COOKIE, "1" if live else "0", max_age=365 * 86400, samesite="lax", secure=_secure(request)
        )
    return response


def live_note(request: Request, snapshot: Any, as_of: date, live: bool, desk_services: int) -> dict[str, Any]:
    """The label above a page's figures (``_live.html``): how many desk services they include
    (or that they are the snapshot's alone) and the link that switches."""
    from rekam import numbers

    lang = language(request)
    since = numbers.day(snapshot.export_date, lang)
    if not live:
        label = text_in(lang, "live_snapshot_only", since=since)
    elif desk_services:
        label = text_in(lang, "live_label", count=numbers.number(desk_services, lang), since=since)
    else:
        label = text_in(lang, "live_label_none", since=since)
    params = {k: v for k, v in request.query_params.items() if k != "live"}
    params["live"] = "0" if live else "1"
    return {
        "live": live,
        "count": desk_services,
        "label": label,
        "hint": text_in(lang, "live_hint", since=since, as_of=numbers.day(as_of, lang)) if live else "",
        "switch": text_in(lang, "live_show_snapshot" if live else "live_show_live"),
        "href": f"{request.url.path}?{urlencode(params)}",
    }


@router.get("/wilayah")
@router.get("/wilayah/{code}")
def region_page(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    code: str | None = None,
    as_of: str | None = None,
    pemilihan: str | None = None,
) -> HTMLResponse:
    dotted = region_code(code)
    require_region(user, dotted)
    live = _live(request)
    view = region_view(st, dotted, parse_day(as_of, "as_of"), _election(st, pemilihan), live)
    lang = language(request)
    response = render(
        request,
        "region.html",
        user,
        view=view,
        ranking=ranking_explained(lang, view.ikd_weight),
        target=99.4,
        trend_svg=Markup(trend_svg(st, view, 99.4, lang)),  # rekam's own chart (charts.inline_safe)
        rakor=view.level == "prov",
        live_note=live_note(request, view.snapshot, view.as_of, view.live, view.desk_services),
    )
    return _remember_live(request, response, live)


@router.get("/rakor/{code}")
def rakor_download(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    code: str,
    format: str = "pdf",  # noqa: A002 - the query's own name
    as_of: str | None = None,
    since: str | None = None,
    tenggat: str | None = None,
    pemilihan: str | None = None,
) -> Response:
    """The province's rakor report (``rekam rakor``) as pdf or xlsx, in the page's language;
    for the users whose scope holds the province (its admin-provinsi, admin-pusat); audited."""
    dotted = region_code(code)
    require_region(user, dotted)
    if format not in ("pdf", "xlsx"):
        raise InvalidArgument("bad_option", option="format", value=format, hint="pdf, xlsx")
    if dotted is None or "." in dotted:
        raise InvalidArgument("rakor_needs_province", code=dotted or "Indonesia")
    as_of_day = parse_day(as_of, "as_of") or st.store.require_current().export_date
    election = _election(st, pemilihan)
    tmp = Path(tempfile.mkdtemp(prefix="rekam-rakor-")) / f"rakor-{dotted}-{as_of_day.isoformat()}.{format}"
    try:
        st.rekam.write_rakor(
            tmp,
            as_of=as_of_day,
            since=parse_day(since, "since"),
            deadline=parse_day(tenggat, "tenggat") or election,
            election_date=election,
            region=dotted,
            user=user,
            lang=language(request),
            audit_details={"source": "web"},
        )
    except BaseException:
        shutil.rmtree(tmp.parent, ignore_errors=True)
        raise
    media = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    return FileResponse(
        tmp,
        media_type=media[format],
        filename=tmp.name,
        background=BackgroundTask(lambda: shutil.rmtree(tmp.parent, ignore_errors=True)),
    )


@router.get("/peta/{code}")
def map_page(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    code: str,
    as_of: str | None = None,
    lapisan: str = "rekam",
) -> HTMLResponse:
    """The desa of a region coloured by recording coverage, or by IKD activation (``lapisan=ikd``)."""
    dotted = region_code(code)
    require_region(user, dotted)
    if lapisan not in mapsvg.LAYERS:
        raise InvalidArgument("bad_option", option="lapisan", value=lapisan, hint=", ".join(mapsvg.LAYERS))
    snap = st.store.require_current()
    live = _live(request)
    figures = st.figures.get(snap, parse_day(as_of, "as_of"), st.election_date, live=live)
    if figures.row(dotted) is None:
        from rekam.errors import UnknownRegion

        raise UnknownRegion("unknown_region", code=dotted)
    desa = figures.desa_in(dotted)  # a desa's own map shows the desa itself
    coords = st.figures.desa_coordinates(snap)
    stamp = _mtime(st.settings.home / "boundaries" / "desa.geojson")
    rings = st.figures.memo(("boundaries", stamp), lambda: load_boundaries(st.settings.home))
    shapes = mapsvg.areas(desa, rings, layer=lapisan)
    dots = [] if shapes else mapsvg.points(desa, coords, layer=lapisan)
    kab_names = {c: gazetteer.name_of(c) or c for c in {".".join(r.region_code.split(".")[:2]) for r in desa}}
    placed = {a.code for a in shapes} | {p.code for p in dots}
    # the table beside the map: the desa with the largest gap first (where the work is), bounded
    table = sorted(
        desa, key=lambda r: (-mapsvg.figure(r, lapisan)[1], mapsvg.figure(r, lapisan)[0] or 0.0, r.region_code)
    )
    response = render(
        request,
        "map.html",
        user,
        code=dotted,
        name=figures.row(dotted).region_name,  # type: ignore[union-attr]
        points=dots,
        areas=shapes,
        outlines=st.figures.memo(  # borders do not change with the figures: drawn once per boundary file
            ("outlines", stamp, snap.id, dotted), lambda: mapsvg.outlines(desa, rings, kab_names) if shapes else []
        ),
        sizes=mapsvg.sizes([r for r in desa if r.region_code in placed]) if len(dots) > 1 else [],
        bands=mapsvg.BANDS,
        as_of=figures.as_of,
        snapshot=snap,
        placed_of=len(desa),
        table=[(r, *mapsvg.figure(r, lapisan)) for r in table[:MAP_TABLE_ROWS]],
        table_of=len(table),
        layer=lapisan,
        placed=placed,
        live_note=live_note(request, snap, figures.as_of, figures.live, figures.desk_services),
    )
    return _remember_live(request, response, live)


#: The most desa the table beside a map lists (a province has over a thousand: a kab/kota's map lists them all).
MAP_TABLE_ROWS = 150


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


def _kind(jenis: str) -> str:
    if jenis not in KINDS:
        raise InvalidArgument("bad_option", option="jenis", value=jenis, hint=", ".join(KINDS))
    return jenis


@router.get("/daftar/{code}")
def list_page(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    code: str,
    jenis: str = "belum-rekam",
    as_of: str | None = None,
    pemilihan: str | None = None,
    halaman: str | None = None,
) -> HTMLResponse:
    """A by-name list on screen for a desa, or a kecamatan or kab/kota page by page
    (``LIST_PAGE`` people a page, in household order, the desa named on each row)."""
    dotted = region_code(code)
    require_by_name(user, dotted)
    kind = _kind(jenis)
    if dotted is None or dotted.count(".") < 1:
        raise InvalidArgument("web_list_needs_desa", region=dotted or "Indonesia")
    page_no = _page_number(halaman)
    election = _election(st, pemilihan)
    people, snap = st.rekam.view_list(
        kind,  # type: ignore[arg-type]
        dotted,
        parse_day(as_of, "as_of") or st.store.require_current().export_date,
        election,
        "list-view",
        web_user=user.username,
        page=page_no,
    )
    lang = language(request)
    total = len(people)
    pages = max(1, -(-total // LIST_PAGE))
    first = (min(page_no, pages) - 1) * LIST_PAGE
    people = people[first : first + LIST_PAGE]
    marks = st.rekam.desk_marks(snap, (p.nik for p in people))  # served at a desk since the snapshot
    rows = [
        {
            "number": first + i + 1,
            "desa": gazetteer.name_of(p.desa_code) or p.desa_code,
            "nik": shown_nik(p.nik, False),
            "name": p.name,
            "sex": p.sex,
            "birth_date": p.birth_date,
            "address": " ".join(
                x for x in (p.address, f"RT {p.rt}" if p.rt else None, f"RW {p.rw}" if p.rw else None) if x
            ),
            "status": text_in(lang, f"status_{status_word(p.ktp_status).value}"),
            "status_code": p.ktp_status,
            "desk": desk_mark_text(marks[p.nik], lang) if p.nik in marks else "",
        }
        for i, p in enumerate(people)
    ]
    return render(
        request,
        "list.html",
        user,
        code=dotted,
        kind=kind,
        kinds=KINDS,
        rows=rows,
        total=total,
        page=min(page_no, pages),
        pages=pages,
        whole_desa=dotted.count(".") == 3,
        snapshot=snap,
        election=election,
    )


#: People on one page of a by-name list above desa level.
LIST_PAGE = 100


def _page_number(value: str | None) -> int:
    if value is None or value == "":
        return 1
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 100_000:
        raise InvalidArgument("bad_option", option="halaman", value=value, hint=">= 1")
    return int(value)


@router.get("/unduh/{code}")
def download(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    code: str,
    jenis: str = "belum-rekam",
    format: str = "xlsx",  # noqa: A002 - the query's own name
    as_of: str | None = None,
    pemilihan: str | None = None,
) -> Response:
    """The by-name list as xlsx, pdf or csv (the `rekam list` files), masked; audited."""
    dotted = region_code(code)
    require_by_name(user, dotted)
    kind = _kind(jenis)
    if format not in ("xlsx", "pdf", "csv"):
        raise InvalidArgument("bad_option", option="format", value=format, hint="xlsx, pdf, csv")
    if dotted is None:
        raise InvalidArgument("web_list_needs_desa", region="Indonesia")
    tmp = Path(tempfile.mkdtemp(prefix="rekam-unduh-")) / f"{kind}-{dotted}.{format}"
    as_of_day = parse_day(as_of, "as_of") or st.store.require_current().export_date
    st.rekam.write_list(
        kind,
        dotted,
        tmp,
        format,
        as_of_day,
        _election(st, pemilihan),  # type: ignore[arg-type]
        audit_details={"web_user": user.username, "format": format},
    )
    media = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
        "csv": "text/csv",
    }[format]
    return FileResponse(
        tmp,
        media_type=media,
        filename=tmp.name,
        background=BackgroundTask(lambda: (tmp.unlink(missing_ok=True), tmp.parent.rmdir())),
    )


@router.get("/kualitas")
@router.get("/kualitas/{code}")
def quality_page(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    code: str | None = None,
) -> HTMLResponse:
    from rekam.analytics.coverage import LEVELS
    from rekam.analytics.quality import FIGURES

    dotted = region_code(code)
    require_region(user, dotted)
    depth = 0 if dotted is None else len(dotted.split("."))
    level = LEVELS[min(depth, len(LEVELS) - 1)]
    snap = st.store.require_current()
    live = _live(request)
    rows = st.figures.quality(snap, dotted, level, live)
    desk = st.figures.desk(snap) if live else None
    as_of = live_as_of(snap, desk) if desk is not None else snap.export_date
    response = render(
        request,
        "quality.html",
        user,
        code=dotted,
        rows=rows,
        figures=FIGURES,
        snapshot=snap,
        live_note=live_note(request, snap, as_of, live, desk.until(as_of).count if desk is not None else 0),
    )
    return _remember_live(request, response, live)


@router.get("/impor")
def import_page(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
) -> HTMLResponse:
    _require_import(user)
    snaps, current = st.rekam.snapshots()
    return render(
        request,
        "import.html",
        user,
        snapshots=list(reversed(snaps)),
        current=current,
        can_roll_back=any(s.id == current and s.parent for s in snaps),
        rolled_back=request.query_params.get("kembali"),
        quarantine=quarantine_files(st, user),
    )


@router.post("/impor/rollback")
def import_rollback(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
) -> RedirectResponse:
    """``rekam snapshots rollback`` for the logged-in user: only an import whose kab/kota all lie
    in the user's region (``Rekam.rollback``); audited; back to the import page."""
    _require_import(user)
    previous = st.rekam.rollback(user=user)
    return RedirectResponse(f"/impor?kembali={previous.id}", status_code=303)


def _require_import(user: User) -> None:
    if user.role not in ("admin-pusat", "admin-provinsi", "dinas"):
        raise PermissionDenied("web_forbidden_import")


@router.post("/impor")
async def import_upload(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
) -> HTMLResponse:
    """The same import as ``rekam import --user``: the files are streamed (bounded) into a
    private folder under safe names, then imported by a child process (``web/imports.py``);
    the page follows its steps."""
    from rekam.web.imports import Upload, receive

    _require_import(user)
    upload = Upload(st.settings.home)
    try:
        fields = await receive(request, upload, st.settings.upload_max_mb)
        day = parse_day(fields.get("export_date", ""), "export_date") or date.today()
        job = st.imports.start(upload, day, user.username, language(request), force=fields.get("force") == "1")
    except BaseException:
        upload.remove()
        raise
    return render(request, "_import_job.html", user, job=job)


@router.get("/impor/{job_id}")
def import_status(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    job_id: str,
) -> HTMLResponse:
    """An import's steps so far, then its summary (polled by the import page every second)."""
    _require_import(user)
    job = st.imports.get(job_id, user.username)
    lang = language(request)
    message = text_in(lang, job.error.key, **job.error.params) if job.error else None
    snaps, current = st.rekam.snapshots()
    return render(
        request,
        "_import_job.html",
        user,
        job=job,
        error=message,
        **_import_diff(st, job.result if job.done else None),
        quarantine=quarantine_files(st, user),
        snapshots=list(reversed(snaps)),
        current=current,
        reason_text=lambda code: text_in(lang, code, kept="…", column="…", detail="…"),
    )


@router.get("/impor/perubahan/{snapshot_id}")
def import_diff_people(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    snapshot_id: str,
    jenis: str,
    wilayah: str | None = None,
) -> Response:
    """The people behind one count of a snapshot diff (``rekam snapshots diff --kind``), by name
    as CSV, NIK masked: roles that may see names, in their own region; audited."""
    _require_import(user)
    region = region_code(wilayah) or home_region(user)
    require_by_name(user, region)
    tmp = Path(tempfile.mkdtemp(prefix="rekam-perubahan-")) / f"perubahan-{snapshot_id}-{jenis}.csv"
    try:
        st.rekam.write_diff_people(jenis, tmp, region, snapshot_id, user=user, audit_details={"via": "web"})
    except BaseException:
        shutil.rmtree(tmp.parent, ignore_errors=True)
        raise
    return FileResponse(
        tmp,
        media_type="text/csv",
        filename=tmp.name,
        background=BackgroundTask(lambda: shutil.rmtree(tmp.parent, ignore_errors=True)),
    )


def _import_diff(st: WebState, result: dict[str, Any] | None) -> dict[str, Any]:
    """The kept diff of an import's snapshot for the job's page: its count columns and the desa
    that changed (``Rekam.snapshot_diff``, the call behind ``rekam snapshots diff``)."""
    from rekam.analytics.snapshot_diff import COUNTS, KINDS

    desa: list[dict[str, Any]] = []
    diff = (result or {}).get("diff")
    if result and diff and diff.get("parent") and not result.get("unchanged"):
        desa = st.rekam.snapshot_diff(result["snapshot"]).level("desa", changed_only=True)
    return {"diff_counts": COUNTS, "diff_desa": desa, "diff_kinds": KINDS}


@router.get("/karantina/{name}")
def quarantine_download(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    name: str,
) -> Response:
    """The rows of a quarantine file that lie in the user's scope (by-name data: allowed roles
    only); the name is matched only against the files the user may see; audited."""
    from fastapi.responses import StreamingResponse

    from rekam.register import quarantine

    _require_import(user)
    require_by_name(user, home_region(user))
    files = {p.name: p for p in quarantine_files(st, user)}
    if name not in files:
        from rekam.errors import SnapshotError

        raise SnapshotError("web_no_quarantine", name=name)
    kabs, rows = quarantine.visible_kabs(files[name], user)
    audit.record(st.settings.home, "quarantine-download", file=name, rows=rows, web_user=user.username)
    return StreamingResponse(
        quarantine.visible_lines(files[name], kabs),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def quarantine_files(st: WebState, user: User) -> list[Path]:
    """The quarantine files holding a row of the user's scope, newest first."""
    from rekam.register import quarantine

    return quarantine.visible_files(st.settings.home / "quarantine", user)


@router.get("/rencana")
def plan_page(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    susun: str | None = None,
) -> HTMLResponse:
    """The latest plan saved in REKAM_HOME/plans/ (``rekam plan solve ... --out``) of a region in the
    user's scope (a plan naming no region: admin-pusat only): per team, per day, the stops by name
    (web/plans.py); each cell links to the team's day."""
    import uuid
    from datetime import timedelta

    plan = _visible_plan(st, user)
    today = plans.today()
    job = st.replans.get(susun, user.username) if susun else None
    may_replan = plan is not None and _may_replan(user, plan.region) and plan.next_date(today) is not None
    learned = _learned(st, plan) if plan is not None and plan.result else None
    return render(
        request,
        "plan.html",
        user,
        plan=plan,
        today=today,
        job=job,
        may_replan=may_replan,
        replan_key=uuid.uuid4().hex,
        replan_limit=int(replan.REPLAN_SECONDS),
        job_error=_job_error(request, job),
        tomorrow=today + timedelta(days=1),
        learned=learned,
    )


def _job_error(request: Request, job: replan.ReplanJob | None) -> str | None:
    return text_in(language(request), job.error.key, **job.error.params) if job and job.error else None


def _may_replan(user: User, region: str | None) -> bool:
    """The roles allowed to plan (admin-pusat, admin-provinsi, dinas) whose scope holds the
    plan's region (a plan naming no region: admin-pusat only); not an operator, not a team."""
    from rekam.ops import scope

    if user.role not in BY_NAME_ROLES:
        return False
    return user.role == "admin-pusat" if region is None else scope.may_region(user, region, "write")


@router.post("/rencana/susun-ulang")
def replan_start(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    key: Annotated[str, Form()],
    plan: Annotated[str, Form()],
) -> Response:
    """The re-plan button: the remaining scenario of the plan from tomorrow, solved off the
    request thread (``web/replan.py``); the form's key makes a retried POST join the same job
    (one plan). A role not allowed to plan, or a plan outside the user's scope: 403, nothing made."""
    import json
    from datetime import timedelta

    from rekam.planner.plan import PLAN_FORMAT

    if user.role not in BY_NAME_ROLES:
        raise PermissionDenied("replan_not_allowed")
    folder = st.settings.home / "plans"
    path = folder / Path(plan).name
    data: Any = None
    if path.name == plan and path.suffix == ".json" and path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        raise PermissionDenied("replan_no_plan", plan=Path(plan).stem[:60])
    region = data.get("region") if isinstance(data.get("region"), str) and data.get("region") else None
    if not _may_replan(user, region_code(region) if region else None):
        raise PermissionDenied("replan_not_allowed")
    if not key or len(key) > 64 or not key.isalnum():
        raise InvalidArgument("bad_option", option="key", value=key[:20], hint="[0-9a-f]{32}")
    job = st.replans.start(key, user.username, path, plans.today() + timedelta(days=1))
    return RedirectResponse(f"/rencana?{urlencode({'susun': job.key})}", status_code=303)


@router.get("/rencana/susun-ulang/{key}")
def replan_status(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    key: str,
) -> HTMLResponse:
    """The re-plan job's status (htmx polls it); once done the page reloads (HX-Refresh) to show the new plan."""
    from rekam.errors import OpsNotFound

    job = st.replans.get(key, user.username)
    if job is None:
        raise OpsNotFound("replan_no_job")
    response = render(
        request,
        "_replan_job.html",
        user,
        job=job,
        replan_limit=int(replan.REPLAN_SECONDS),
        job_error=_job_error(request, job),
    )
    if job.done:
        response.headers["HX-Refresh"] = "true"
    return response


@router.get("/rencana/tim/{team}/{day}")
def team_day_page(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(page_user)],
    team: str,
    day: str,
) -> HTMLResponse:
    """One team's day of the latest plan the user may see (the same rule as the calendar): the
    stops in order with their times and head-counts, a route map, a link to each desa's by-name
    list; prints as one A4 day sheet."""
    from rekam.errors import OpsNotFound

    plan = _visible_plan(st, user)
    when = parse_day(day, "day")
    found = plan.day(team, when) if plan is not None and when is not None else None
    if plan is None or found is None:
        raise OpsNotFound("web_no_team_day")
    marks = plans.route_marks(found)
    return render(
        request,
        "plan_day.html",
        user,
        plan=plan,
        d=found,
        marks=marks,
        route_path=mapsvg.route_path(marks),
        others=[t for t in plan.teams if (t, when) in plan.cells],
    )


def _visible_plan(st: WebState, user: User) -> plans.Calendar | None:
    """The newest plan of a region in the user's scope (web/plans.py ``latest_plan``)."""
    require_region(user, home_region(user))
    from rekam.ops import scope

    def may_see(region: str | None) -> bool:
        return user.role == "admin-pusat" if region is None else scope.may_region(user, region)

    found = plans.latest_plan(st.settings.home, may_see)
    if found is None or not found.data:
        return found
    result = _of_outcomes(st, found, "result", lambda: st.rekam.plan_result(found.data, Path(found.name).stem))
    return plans.with_result(found, result)


def _learned(st: WebState, plan: plans.Calendar) -> list[dict[str, Any]]:
    """The turnout learned from the plan's field outcomes beside the defaults (``Rekam.plan_turnouts``)."""
    return _of_outcomes(st, plan, "turnouts", lambda: st.rekam.plan_turnouts(plan.data, Path(plan.name).stem))


def _of_outcomes(st: WebState, plan: plans.Calendar, what: str, compute: Callable[[], T]) -> T:
    """A plan's ``what`` from its field outcomes and the register (``FigureCache.of_outcomes``):
    computed once per snapshot, plan and count of outcomes logged for its days."""
    import hashlib
    import json

    if not plan.dates:
        return compute()
    snap = st.rekam.store().current()
    count = len(st.rekam.field_outcomes(since=plan.dates[0], until=plan.dates[-1]))
    digest = hashlib.sha256(json.dumps(plan.data, sort_keys=True, default=str).encode()).hexdigest()
    return st.figures.of_outcomes(("plan", what, snap.id if snap else None, digest), count, compute)
