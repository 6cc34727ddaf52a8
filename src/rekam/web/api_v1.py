"""The JSON API under /api/v1 that the pages use (OpenAPI at /docs and /openapi.json).

Bearer tokens from POST /api/v1/auth/token (OAuth2 password flow); the page cookie is
accepted too, so the pages' htmx calls need nothing more. Errors are FastAPI's
``{"detail": ...}``, in the caller's language (``app.py``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm

from rekam.analytics.coverage import LEVELS
from rekam.errors import InvalidArgument, UnknownRegion
from rekam.ops.models import User
from rekam.reports.cells import shown_nik
from rekam.web import auth
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
from rekam.web.views import region_view

router = APIRouter(prefix="/api/v1")
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def api_user(
    request: Request, st: Annotated[WebState, Depends(state)], token: Annotated[str | None, Depends(_bearer)]
) -> User:
    return auth.user_of(st.db, st.key, token or request.cookies.get(auth.COOKIE))


@router.post("/auth/token", tags=["auth"])
def token(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> dict[str, str]:
    """A bearer token for a user made with ``rekam users add``."""
    address = request.client.host if request.client else None
    token = auth.login(st.db, st.key, form.username, form.password, address, st.settings.login_limits)
    return {"access_token": token, "token_type": "bearer"}


@router.get("/me", tags=["auth"])
def me(user: Annotated[User, Depends(api_user)]) -> dict[str, Any]:
    return {"username": user.username, "role": user.role, "region": user.region, "service_point": user.service_point_id}


@router.get("/coverage", tags=["coverage"])
def coverage(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
    level: str = "kab",
    region: str | None = None,
    as_of: str | None = None,
    election_date: str | None = None,
    live: bool = True,
) -> dict[str, Any]:
    """The rows of ``rekam coverage --level LEVEL --region REGION --as-of DATE --format json``,
    with the services completed at the desks since the snapshot (``live``, the default:
    ``desk_services`` of them are counted; default date the latest service day) or, with
    ``live=false``, of the snapshot alone (default date: its export date)."""
    if level not in LEVELS:
        raise InvalidArgument("bad_option", option="level", value=level, hint=", ".join(LEVELS))
    dotted = region_code(region) if region else home_region(user)
    require_region(user, dotted)
    snap = st.store.require_current()
    figures = st.figures.get(snap, parse_day(as_of, "as_of"), parse_day(election_date, "election_date"), live=live)
    if dotted is not None and figures.row(dotted) is None:
        raise UnknownRegion("unknown_region", code=dotted)
    if dotted is not None and LEVELS.index(level) < len(dotted.split(".")) - 1:
        raise InvalidArgument("level_above_region", level=level, region=dotted)
    rows = [
        r
        for r in figures.by_level[level]
        if dotted is None or r.region_code == dotted or r.region_code.startswith(dotted + ".")
    ]
    return {
        "snapshot": snap.id,
        "as_of": figures.as_of.isoformat(),
        "live": figures.live,
        "desk_services": figures.desk_services,
        "level": level,
        "region": dotted,
        "rows": [r.as_json() for r in rows],
    }


@router.get("/regions/{code}", tags=["coverage"])
@router.get("/regions", tags=["coverage"])
def region(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
    code: str | None = None,
    as_of: str | None = None,
    election_date: str | None = None,
    live: bool = True,
    ikd_weight: str | None = None,
) -> dict[str, Any]:
    """A region's page as data: its figures, children, trend and (province) ranking; with the
    desk's services since the snapshot unless ``live=false`` (as ``/coverage``). ``ikd_weight``
    (0 to 0.5): the ranking's IKD weight instead of the installation's (``REKAM_RANK_IKD_WEIGHT``)."""
    dotted = region_code(code)
    require_region(user, dotted)
    return region_view(
        st,
        dotted,
        parse_day(as_of, "as_of"),
        parse_day(election_date, "election_date") or st.election_date,
        live,
        ikd_weight,
    ).as_json(language(request))


@router.get("/map/{code}", tags=["coverage"])
def map_points(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
    code: str,
    live: bool = True,
) -> dict[str, Any]:
    """Desa of ``code`` with coordinates and coverage (for a map of one's own); with the desk's
    services since the snapshot unless ``live=false`` (as ``/coverage``)."""
    dotted = region_code(code)
    require_region(user, dotted)
    snap = st.store.require_current()
    figures = st.figures.get(snap, None, st.election_date, live=live)
    if figures.row(dotted) is None:
        raise UnknownRegion("unknown_region", code=dotted)
    coords = st.figures.desa_coordinates(snap)
    desa = figures.desa_in(dotted)  # a desa's own map shows the desa itself
    return {
        "region": dotted,
        "as_of": figures.as_of.isoformat(),
        "live": figures.live,
        "desk_services": figures.desk_services,
        "desa": [
            {
                "region_code": r.region_code,
                "region_name": r.region_name,
                "coverage_pct": r.coverage_pct,
                "wajib": r.wajib,
                "lat": coords.get(r.region_code, (None, None))[0],
                "lon": coords.get(r.region_code, (None, None))[1],
            }
            for r in desa
        ],
    }


@router.get("/lists/{kind}/{code}", tags=["lists"])
def by_name(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
    kind: str,
    code: str,
    as_of: str | None = None,
    election_date: str | None = None,
) -> dict[str, Any]:
    """A by-name list of a region (NIK masked); audited. ``desk_service``: the latest completed
    service at a desk since the snapshot (``{date, jenis}``), else null."""
    from rekam.analytics.lists import KINDS

    dotted = region_code(code)
    require_by_name(user, dotted)
    if kind not in KINDS:
        raise InvalidArgument("bad_option", option="kind", value=kind, hint=", ".join(KINDS))
    day = parse_day(as_of, "as_of") or st.store.require_current().export_date
    people, snap = st.rekam.view_list(
        kind,  # type: ignore[arg-type]
        dotted or "",
        day,
        parse_day(election_date, "election_date") or st.election_date,
        "list-api",
        web_user=user.username,
    )
    marks = st.rekam.desk_marks(snap, (p.nik for p in people))  # served at a desk since the snapshot
    return {
        "kind": kind,
        "region": dotted,
        "snapshot": snap.id,
        "as_of": day.isoformat(),
        "people": [
            p.as_row()
            | {
                "nik": shown_nik(p.nik, False),
                "kk": None,
                "row_key": None,
                "desk_service": (
                    {"date": marks[p.nik].day.isoformat(), "jenis": marks[p.nik].kind} if p.nik in marks else None
                ),
            }
            for p in people
        ],
    }


@router.get("/quality", tags=["quality"])
def quality(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
    level: str = "kab",
    region: str | None = None,
    live: bool = True,
) -> dict[str, Any]:
    """Data-quality figures of a region's children; the implausible-desa count reads the desa's
    coverage with the desk's services since the snapshot unless ``live=false``."""
    dotted = region_code(region) if region else home_region(user)
    require_region(user, dotted)
    if level not in LEVELS:
        raise InvalidArgument("bad_option", option="level", value=level, hint=", ".join(LEVELS))
    snap = st.store.require_current()
    rows = st.figures.quality(snap, dotted, level, live)
    return {"snapshot": snap.id, "live": live, "rows": [r.as_json() for r in rows]}


@router.get("/snapshots", tags=["register"])
def snapshots(st: Annotated[WebState, Depends(state)], user: Annotated[User, Depends(api_user)]) -> dict[str, Any]:
    require_region(user, home_region(user))
    snaps, current = st.rekam.snapshots()
    return {
        "current": current,
        "items": [
            {"id": s.id, "export_date": s.export_date.isoformat(), "created_at": s.created_at, "parent": s.parent}
            for s in snaps
        ],
    }
