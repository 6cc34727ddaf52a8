"""The field teams' JSON API (issue 20): a team leader's device registers, loads the team's day
(kept offline on the device) and sends the outcomes back. Thin: the rules are ``ops.field``'s.

    POST /api/v1/lapangan/perangkat              {username, password, label} -> 201 device and token
    GET  /api/v1/lapangan/hari?tanggal=DATE      the team's day and next worked day, people masked
    POST /api/v1/lapangan/hasil                  {outcomes: [...]} -> 200 {results: [...]}, in order
    GET  /api/v1/lapangan/perangkat              the devices an admin or dinas may revoke
    POST /api/v1/lapangan/perangkat/{id}/cabut   revoke one (admin, dinas of the device's point)

``hari`` and ``hasil`` need a device's token (claim ``dev``); a revoked device's token is
refused everywhere with 401 and ``code`` ``device_revoked`` (``auth.user_of``), before anything
is read or stored.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from rekam.errors import NotAuthenticated, PermissionDenied
from rekam.ops import logins, scope
from rekam.ops.models import User
from rekam.planner.scenario import IKD_COHORT
from rekam.web import auth, plans
from rekam.web.api_v1 import _bearer, api_user
from rekam.web.context import WebState, language, parse_day, state

router = APIRouter(prefix="/api/v1/lapangan", tags=["lapangan"])


class DeviceIn(BaseModel):
    username: str
    password: str
    label: str | None = Field(default=None, description="what the team calls the phone (shown to admins)")


@router.post("/perangkat", status_code=201)
def register_device(request: Request, body: DeviceIn, st: Annotated[WebState, Depends(state)]) -> dict[str, Any]:
    """Log a team leader (role tim) in on a device: the device's id and its token (claim ``dev``),
    the team, its service point and region. Throttled like every login."""
    from rekam.ops.points import get_info

    address = request.client.host if request.client else None
    user = logins.login(st.db, body.username, body.password, address, limits=st.settings.login_limits)
    device = st.rekam.register_device(user, body.label)
    point = get_info(st.db, user.service_point_id or "", user)
    return {
        "device_id": device.id,
        "token": auth.issue(st.key, user.username, user.token_version, device.id),
        "team": user.team,
        "service_point": point.id,
        "region": point.region,
    }


def device_user(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
    token: Annotated[str | None, Depends(_bearer)],
) -> tuple[User, str]:
    """The team leader and the device behind a request (the device checked by ``api_user``)."""
    device = auth.device_of(st.key, token or request.cookies.get(auth.COOKIE))
    if device is None:
        raise NotAuthenticated("field_device_needed")
    if user.role != "tim":
        raise PermissionDenied("field_tim_only")
    return user, device


def _team_plan(st: WebState, user: User) -> tuple[plans.Calendar | None, str]:
    """The newest plan whose region holds the team's point's region, and the point's time zone."""
    from rekam.ops.points import get_info

    point = get_info(st.db, user.service_point_id or "", user)

    def may_see(region: str | None) -> bool:
        return region is not None and scope.within(point.region, region)

    return plans.latest_plan(st.settings.home, may_see), point.timezone


@router.get("/hari")
def team_day(
    request: Request,
    st: Annotated[WebState, Depends(state)],
    who: Annotated[tuple[User, str], Depends(device_user)],
    tanggal: str | None = None,
) -> dict[str, Any]:
    """The team's stops on ``tanggal`` (default: today at the team's point) and on its next worked
    day in the newest plan of its region, each stop with its desa's belum-rekam people (and
    belum-ikd when the plan has the IKD cohort), NIK masked; one audit line per answer."""
    user, _ = who
    cal, timezone = _team_plan(st, user)
    day = parse_day(tanggal, "tanggal") or datetime.now(ZoneInfo(timezone)).date()
    team = user.team or ""
    if cal is None:
        return {"team": team, "plan": None, "snapshot": None, "days": []}
    worked = sorted(d for t, d in cal.cells if t == team)
    wanted = [d for d in worked if d == day] + [d for d in worked if d > day][:1]
    ikd = IKD_COHORT in cal.weights or any(IKD_COHORT in s.people for c in cal.cells.values() for s in c.stops)
    days = [cal.cells[(team, d)] for d in wanted]
    desa = {s.desa_code for d in days for s in d.stops if s.desa_code}
    kinds = ("belum-rekam", "belum-ikd") if ikd else ("belum-rekam",)
    people, snapshot = st.rekam.field_people(user, desa, kinds, day, language(request))
    return {
        "team": team,
        "plan": Path(cal.name).stem,
        "snapshot": snapshot,
        "days": [
            {
                "date": d.date.isoformat(),
                "stops": [
                    {
                        "stop_id": f"{d.date.isoformat()}/{team}/{s.order}",
                        "site": s.site,
                        "name": s.name,
                        "kind": s.kind,
                        "desa_code": s.desa_code,
                        "desa_name": s.desa_name,
                        "start": s.start,
                        "leave": s.leave,
                        "expected": {c: round(n, 2) for c, n in s.people.items()},
                        "people": people.get(s.desa_code, []) if s.desa_code else [],
                    }
                    for s in d.stops
                ],
            }
            for d in days
        ],
    }


class OutcomesIn(BaseModel):
    outcomes: list[dict[str, Any]] = Field(
        description="at most 200: {key, stop_id, ref | nik | name + birth_date, outcome, occurred_at, note}"
    )


@router.post("/hasil")
def outcomes(
    body: OutcomesIn,
    st: Annotated[WebState, Depends(state)],
    who: Annotated[tuple[User, str], Depends(device_user)],
) -> dict[str, Any]:
    """Store a device's outcomes, each once per key: ``results`` in the same order, each stored,
    already (a retry; or the person was recorded before: code ``sudah_direkam``) or refused
    (``message``, ``code``)."""
    user, device = who
    cal, _ = _team_plan(st, user)
    found = st.rekam.field_record(user, device, body.outcomes, Path(cal.name).stem if cal else None)
    return {"results": [r.as_json() for r in found]}


@router.get("/perangkat")
def devices(st: Annotated[WebState, Depends(state)], user: Annotated[User, Depends(api_user)]) -> dict[str, Any]:
    """The field devices of the points in the caller's scope (admin, dinas; a team leader: its own)."""
    return {"items": [d.as_json() for d in st.rekam.list_devices(user)]}


@router.post("/perangkat/{device_id}/cabut")
def revoke(
    device_id: str, st: Annotated[WebState, Depends(state)], user: Annotated[User, Depends(api_user)]
) -> dict[str, Any]:
    """Revoke a device (admin and dinas whose scope holds its team's point): it syncs nothing more."""
    return st.rekam.revoke_device(device_id, user).as_json()
