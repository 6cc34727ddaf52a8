"""A fake of the three field routes of issue 20's contract (docs/field.md), in memory, for the
device's own tests (tests/web/test_field_device.py): the page, its service worker and its
script are rekam's real ones (``web/field_pages.py``, under the real CSP of ``security.Guard``);
only ``/api/v1/lapangan/*`` is this fake, which can refuse, revoke or drop an answer on
demand. The tests against the real server are tests/web/test_field_browser.py.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from tests.web.server import free_port

from rekam.web import field_pages, security

REVOKED = "Perangkat ini sudah dicabut oleh admin; hasil yang belum terkirim tetap di perangkat."


def day_answer(
    today: str, stops: int = 3, people: int = 20, served: dict[str, dict[str, str]] | None = None
) -> dict[str, Any]:
    """The day package; ``served``: ref -> the marks of a person served since the snapshot
    (``recorded_since``, ``ikd_since``)."""
    answer = {
        "team": "T01",
        "plan": "fake",
        "snapshot": "s1",
        "days": [
            {
                "date": today,
                "stops": [
                    {
                        "stop_id": f"{today}/T01/{s}",
                        "site": f"S0{s}",
                        "name": f"SMAN {s} Padang",
                        "kind": "sekolah",
                        "desa_code": "13.71.01.1001",
                        "desa_name": "Desa Satu",
                        "start": "08:30",
                        "leave": "10:00",
                        "expected": {"pemula": 13.1, "rentan": 0.0, "lainnya": 6.5, "ikd": 0.0},
                        "people": [
                            {
                                "ref": f"r{s}-{p}",
                                "nik": "137101******0001",
                                "name": f"ORANG {s}-{p}",
                                "age": 17,
                                "sex": "L",
                                "rt": "001",
                                "rw": "002",
                                "dusun": "",
                                "status": "belum rekam",
                                "list": "belum-rekam",
                            }
                            for p in range(1, people + 1)
                        ],
                    }
                    for s in range(1, stops + 1)
                ],
            }
        ],
    }
    for stop in answer["days"][0]["stops"]:
        for person in stop["people"]:
            person.update((served or {}).get(person["ref"], {}))
    return answer


@dataclass
class Fake:
    """What the fake has seen: devices, stored outcomes (key -> body), each call's size."""

    today: str
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)
    batches: list[int] = field(default_factory=list)
    refuse_refs: set[str] = field(default_factory=set)
    #: ref -> marks the day package gives the person (recorded_since, ikd_since)
    served: dict[str, dict[str, str]] = field(default_factory=dict)
    #: The next N calls to /hasil store their outcomes, then fail (the answer lost).
    drop_answers: int = 0

    def device(self, request: Request) -> dict[str, Any] | None:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        return next((d for d in self.devices.values() if d["token"] == token), None)


def fake_app(fake: Fake) -> FastAPI:
    app = FastAPI()
    app.mount("/static", StaticFiles(directory=str(Path(field_pages.__file__).parent / "static")), name="static")
    app.add_middleware(security.Guard, cookie="rekam_token")
    app.include_router(field_pages.router)

    def refused(request: Request) -> JSONResponse | None:
        device = fake.device(request)
        if device is None:
            return JSONResponse({"detail": "Sesi tidak sah."}, status_code=401)
        if device["revoked"]:
            return JSONResponse({"detail": REVOKED, "code": "device_revoked"}, status_code=401)
        return None

    @app.post("/api/v1/lapangan/perangkat")
    async def register(request: Request) -> JSONResponse:
        body = await request.json()
        if body.get("password") != "rahasia-demo-123":
            return JSONResponse({"detail": "Nama pengguna atau kata sandi salah."}, status_code=401)
        device_id = uuid.uuid4().hex
        fake.devices[device_id] = {"token": f"tok-{device_id}", "label": body["label"], "revoked": False}
        answer = {"device_id": device_id, "token": f"tok-{device_id}", "team": "T01"}
        return JSONResponse(answer | {"service_point": "TIM-PDG-1", "region": "13.71"}, status_code=201)

    @app.get("/api/v1/lapangan/hari")
    def day(request: Request) -> JSONResponse:
        return refused(request) or JSONResponse(day_answer(fake.today, served=fake.served))

    @app.post("/api/v1/lapangan/hasil")
    async def outcomes(request: Request) -> JSONResponse:
        no = refused(request)
        if no is not None:
            return no
        items = (await request.json())["outcomes"]
        fake.batches.append(len(items))
        results = []
        for item in items:
            key = item["key"]
            if item.get("ref") in fake.refuse_refs:
                results.append({"key": key, "status": "refused", "message": "Sudah aktif.", "code": "ikd_active"})
            elif key in fake.stored:
                results.append({"key": key, "status": "already"})
            else:
                fake.stored[key] = item
                results.append({"key": key, "status": "stored"})
        if fake.drop_answers > 0:
            fake.drop_answers -= 1
            return JSONResponse({"detail": "down"}, status_code=503)
        return JSONResponse({"results": results})

    return app


@contextmanager
def serve(fake: Fake) -> Iterator[str]:
    """The fake app on a free port in a thread; its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(fake_app(fake), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the fake did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
