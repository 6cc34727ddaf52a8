"""The service desk's JSON API (issue #8): services, residents, queue, blanko, the day's
reconciliation and the election-day figures. Thin: each route calls one ``rekam.api``
function with the logged-in user as ``actor``; the rules and scope checks are ``ops``'s.

POST /api/v1/layanan answers 201 with the stored event, 200 with the same event when the
idempotency key was seen with the same body, 409 when it was seen with another body; 428 when
the service needs the operator's confirmation first (a perekaman for someone already
recorded), 422 when the rules refuse it (the reason names what to do instead).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated, Any

import anyio.to_thread
from anyio import CapacityLimiter
from anyio.lowlevel import RunVar
from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from rekam.ops.models import User
from rekam.web import live
from rekam.web.api_v1 import api_user
from rekam.web.context import WebState, parse_day, region_code, require_region, state

router = APIRouter(prefix="/api/v1", tags=["layanan"])


class ServiceIn(BaseModel):
    nik: str = Field(description="16 digits; an unknown NIK is logged and flagged for SIAK follow-up")
    jenis: str = Field(
        description="perekaman | rekam_ulang | pencetakan | pencetakan_ulang | surat_keterangan | aktivasi_ikd"
    )
    service_point: str
    idempotency_key: str = Field(description="the client's key: a retried request is stored once")
    outcome: str = "selesai"
    confirm: bool = False
    note: str | None = None
    occurred_at: datetime | None = None


#: The threads logging services at once in this process (``REKAM_DESK_AT_ONCE``, one limiter per
#: event loop); the other requests wait their turn in the loop, holding no thread and no
#: database connection. With 40 threads (the default pool) the events of 16 and more counters
#: ran at once in one process and took turns on its interpreter lock and the database's row
#: locks: a third fewer events a second than 4 at once (benchmarks/README.md, "Service desk").
_DESK_THREADS: RunVar[CapacityLimiter] = RunVar("rekam_desk_threads")


def _desk_threads(at_once: int) -> CapacityLimiter:
    try:
        return _DESK_THREADS.get()
    except LookupError:
        limiter = CapacityLimiter(at_once)
        _DESK_THREADS.set(limiter)
        return limiter


@router.post("/layanan", status_code=201)
async def log_service(
    body: ServiceIn,
    response: Response,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
) -> dict[str, Any]:
    log = partial(
        st.rekam.log_service,
        user,
        body.nik,
        body.jenis,
        body.service_point,
        body.idempotency_key,
        body.outcome,
        body.confirm,
        body.note,
        body.occurred_at,
    )
    event, created = await anyio.to_thread.run_sync(log, limiter=_desk_threads(st.settings.desk_at_once))
    if not created:
        response.status_code = 200
    return event.as_json()  # type: ignore[attr-defined, no-any-return]


@router.get("/layanan")
def list_services(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
    service_point: str,
    date: str | None = None,  # noqa: A002 - the query's own name
    utuh: bool = False,
) -> dict[str, Any]:
    """The events of a service point, NIK masked unless ``utuh`` (not for the counter
    operator: the roles that may see by-name data); audited."""
    events = st.rekam.list_services(service_point, parse_day(date, "date"), user, unmasked=utuh)
    return {"items": [e.as_json() for e in events]}  # type: ignore[attr-defined]


def _point_for_lookup(st: WebState, user: User, service_point: str | None) -> str | None:
    """The point a lookup is made at: checked against the user's scope (an operator's is their own)."""
    from rekam.ops import points
    from rekam.ops.scope import POINT_ROLES

    point = service_point or (user.service_point_id if user.role in POINT_ROLES else None)
    if point is not None:
        with st.db.read() as s:
            points.visible(s, user, point, "read")
    return point


@router.get("/penduduk/{nik}")
def find_resident(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
    nik: str,
    service_point: str | None = None,
) -> dict[str, Any]:
    """A resident by NIK: the status at the desk (snapshot and events since); audited."""
    point = _point_for_lookup(st, user, service_point)
    return st.rekam.find_resident(nik, user, point).as_json()  # type: ignore[attr-defined, no-any-return]


@router.get("/penduduk")
def search_residents(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
    nama: str,
    tgl_lahir: str,
    service_point: str | None = None,
) -> dict[str, Any]:
    """Residents by name and birth date (at most 50); audited."""
    born = parse_day(tgl_lahir, "tgl_lahir")
    point = _point_for_lookup(st, user, service_point)
    found = st.rekam.search_residents(nama, born, user, point)  # type: ignore[arg-type]
    return {"items": [f.as_json() for f in found]}  # type: ignore[attr-defined]


class TicketIn(BaseModel):
    service_point: str
    idempotency_key: str
    jenis: str | None = None


@router.post("/antrian", status_code=201)
def take_ticket(
    body: TicketIn,
    response: Response,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
) -> dict[str, Any]:
    ticket, created = st.rekam.queue_take(body.service_point, body.idempotency_key, body.jenis, user)
    if not created:
        response.status_code = 200
    return ticket.as_json()  # type: ignore[attr-defined, no-any-return]


class CallIn(BaseModel):
    service_point: str
    idempotency_key: str | None = None


@router.post("/antrian/panggil")
def call_next(
    body: CallIn, st: Annotated[WebState, Depends(state)], user: Annotated[User, Depends(api_user)]
) -> dict[str, Any]:
    ticket = st.rekam.queue_call_next(body.service_point, body.idempotency_key, user)
    return {"ticket": ticket.as_json() if ticket else None}  # type: ignore[attr-defined]


class FinishIn(BaseModel):
    service_point: str
    state: str = Field(description="served | no_show")


@router.post("/antrian/{number}/selesai")
def finish_ticket(
    number: int, body: FinishIn, st: Annotated[WebState, Depends(state)], user: Annotated[User, Depends(api_user)]
) -> dict[str, Any]:
    return st.rekam.queue_finish(body.service_point, number, body.state, None, user).as_json()  # type: ignore[attr-defined, no-any-return]


@router.get("/antrian")
def tickets(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
    service_point: str,
    date: str | None = None,  # noqa: A002
) -> dict[str, Any]:
    found = st.rekam.queue_tickets(service_point, parse_day(date, "date"), user)
    return {"items": [t.as_json() for t in found]}  # type: ignore[attr-defined]


class BlankoIn(BaseModel):
    service_point: str
    kind: str = Field(description="received | spoiled | returned | transfer_out")
    quantity: int
    idempotency_key: str
    counterpart: str | None = None
    note: str | None = None


@router.post("/blanko", status_code=201)
def blanko_move(
    body: BlankoIn,
    response: Response,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
) -> dict[str, Any]:
    entry, created = st.rekam.blanko_record(
        body.service_point, body.kind, body.quantity, body.idempotency_key, body.counterpart, body.note, user
    )
    if not created:
        response.status_code = 200
    return {"entry": entry.as_json(), "left": st.rekam.blanko_left(body.service_point, user)}  # type: ignore[attr-defined]


class CountIn(BaseModel):
    service_point: str
    counted: int
    idempotency_key: str
    note: str | None = None


@router.post("/blanko/hitung", status_code=201)
def blanko_count(
    body: CountIn,
    response: Response,
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
) -> dict[str, Any]:
    found, created = st.rekam.blanko_count(body.service_point, body.counted, body.idempotency_key, body.note, user)
    if not created:
        response.status_code = 200
    return found.as_json()  # type: ignore[attr-defined, no-any-return]


@router.get("/blanko")
def blanko_left(
    st: Annotated[WebState, Depends(state)], user: Annotated[User, Depends(api_user)], service_point: str
) -> dict[str, Any]:
    return {"service_point": service_point, "left": st.rekam.blanko_left(service_point, user)}


@router.get("/rekonsiliasi")
def reconcile(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
    service_point: str,
    date: str,  # noqa: A002
) -> dict[str, Any]:
    day = parse_day(date, "date")
    return st.rekam.reconcile_day(service_point, day, user).as_json()  # type: ignore[arg-type, attr-defined, no-any-return]


@router.get("/hari-h")
def election_day(
    st: Annotated[WebState, Depends(state)],
    user: Annotated[User, Depends(api_user)],
    region: str | None = None,
    date: str | None = None,  # noqa: A002
) -> dict[str, Any]:
    """Per service point of the region on the day: recordings and prints per hour, blanko
    left, people waiting (the election-day page's data)."""
    code = region_code(region) if region else (None if user.role == "admin-pusat" else user.region)
    require_region(user, code)
    return live.day_view(st, code, parse_day(date, "date")).as_json()
