"""Locust users of the mixed-load soak (issue 21), started by benchmarks/soak_bench.py.

    locust -f benchmarks/soak_locustfile.py --headless -u N -r N -t 60s --host http://127.0.0.1:PORT

SOAK_DATA names the JSON file that soak_bench.py writes: the users and their password, the
service points, the regions to browse and the NIKs this run may use (a slice of its own, so that
no pencetakan or perekaman is sent twice across the runs of one database).

The users (class weights; every user logs in in ``on_start``, so that a run begins with a burst of
logins):

- ``Kadis`` (1): the Kepala Dinas of the province (admin-provinsi 13) in a browser: the login
  form, then /wilayah/13, /wilayah/13.71, a kecamatan, /peta/13.71, /daftar/<desa>, /rencana,
  3-8 s between pages.
- ``Dinas`` (2): a kab/kota's dinas (its own region) browsing the same way within its kab/kota.
- ``Operator`` (6): a desk operator (bearer token): POST /api/v1/layanan, each with a key of its
  own, in desk_bench.py's mix (30 % pencetakan, 30 % perekaman, 10 % perekaman of an unknown NIK,
  30 % surat keterangan), and one queue number (POST /api/v1/antrian) in four; 1-3 s between.
- ``FieldDevice`` (2): a team leader's phone: registers once (POST /api/v1/lapangan/perangkat),
  loads its day (GET /api/v1/lapangan/hari), then sends batches of 1-10 outcomes of its stops'
  people (POST /api/v1/lapangan/hasil) every 30-60 s (a team serves a person every few
  minutes; the phone sends what it queued when it has signal).
- ``ApiClient`` (1): another system reading GET /api/v1/coverage (province and a kab/kota), 2-5 s.

A response is a failure when its status is not the expected one; a field batch whose results
hold a ``refused`` one is a failure too (``already`` is an answer, not an error). At the end the
p50/p95/p99 of every request but the logins (form, token, device) go to the file SOAK_OUT.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

DATA: dict[str, Any] = json.loads(Path(os.environ["SOAK_DATA"]).read_text(encoding="utf-8"))
PASSWORD: str = DATA["password"]
RUN = DATA["run"]
_printable = iter(DATA["niks"]["printable"])
_belum = iter(DATA["niks"]["belum"])
_unknown = iter(DATA["niks"]["unknown"])
_registered: list[str] = DATA["niks"]["registered"]
_serial = itertools.count(1)
_rng = random.Random(RUN)
WIB = dt.timezone(dt.timedelta(hours=7))


def _cycle(names: list[Any]) -> itertools.cycle[Any]:
    return itertools.cycle(names)


_operators = _cycle(DATA["operators"])
_dinas = _cycle(DATA["dinas"])
_leaders = _cycle(DATA["leaders"])
_refused: list[int] = [0]
_work_ms: list[float] = []  # the response times of every request but the logins


@events.request.add_listener
def _timed(name: str, response_time: float, **_: Any) -> None:
    if "login" not in name and "auth/token" not in name and "perangkat" not in name:
        _work_ms.append(response_time)


@events.quitting.add_listener
def _report(environment: Any, **_: Any) -> None:
    ordered = sorted(_work_ms)

    def pct(q: float) -> float | None:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else None

    summary = {"requests": len(ordered), "p50_ms": pct(0.5), "p95_ms": pct(0.95), "p99_ms": pct(0.99)}
    Path(os.environ["SOAK_OUT"]).write_text(json.dumps({"work": summary, "refused": _refused[0]}), encoding="utf-8")


def _log_in_form(user: HttpUser, name: str) -> None:
    with user.client.post(
        "/login",
        data={"username": name, "password": PASSWORD, "next": "/"},
        allow_redirects=False,
        name="POST /login",
        catch_response=True,
    ) as r:
        if r.status_code != 303:
            r.failure(f"login {r.status_code}")


def _page(user: HttpUser, path: str, name: str) -> None:
    with user.client.get(path, name=name, catch_response=True) as r:
        if r.status_code != 200:
            r.failure(f"{r.status_code}")


class Kadis(HttpUser):
    weight = 1
    wait_time = between(3, 8)

    def on_start(self) -> None:
        _log_in_form(self, DATA["kadis"])
        self.desa = DATA["desa"]
        self.pages = [
            ("/wilayah/13", "/wilayah/13"),
            ("/wilayah/13.71", "/wilayah/[kab]"),
            (f"/wilayah/{DATA['kecamatan']}", "/wilayah/[kec]"),
            ("/peta/13.71", "/peta/[kab]"),
            ("/daftar/{desa}", "/daftar/[desa]"),
            ("/rencana", "/rencana"),
        ]
        self.n = 0

    @task
    def browse(self) -> None:
        path, name = self.pages[self.n % len(self.pages)]
        self.n += 1
        _page(self, path.format(desa=_rng.choice(self.desa)), name)


class Dinas(HttpUser):
    weight = 2
    wait_time = between(3, 8)

    def on_start(self) -> None:
        name, kab = next(_dinas)
        _log_in_form(self, name)
        self.pages = [
            (f"/wilayah/{kab}", "/wilayah/[kab]"),
            (f"/peta/{kab}", "/peta/[kab]"),
            ("/daftar/{desa}", "/daftar/[desa]"),
        ]
        self.desa = DATA["desa_of"][kab]
        self.n = 0

    @task
    def browse(self) -> None:
        path, name = self.pages[self.n % len(self.pages)]
        self.n += 1
        _page(self, path.format(desa=_rng.choice(self.desa)), name)


def _token(user: HttpUser, name: str) -> str:
    r = user.client.post(
        "/api/v1/auth/token", data={"username": name, "password": PASSWORD}, name="POST /api/v1/auth/token"
    )
    return str(r.json()["access_token"]) if r.status_code == 200 else ""


class Operator(HttpUser):
    weight = 6
    wait_time = between(1, 3)

    def on_start(self) -> None:
        name, self.point = next(_operators)
        self.headers = {"Authorization": f"Bearer {_token(self, name)}"}

    def _event(self) -> dict[str, str]:
        n = next(_serial)
        slot = n % 10
        nik = None
        if slot < 3:
            jenis, nik = "pencetakan", next(_printable, None)
        elif slot < 6:
            jenis, nik = "perekaman", next(_belum, None)
        elif slot < 7:
            jenis, nik = "perekaman", next(_unknown, None)
        if nik is None:
            jenis, nik = "surat_keterangan", _rng.choice(_registered)
        return {"nik": nik, "jenis": jenis, "service_point": self.point, "idempotency_key": f"{RUN}-{n}"}

    @task(4)
    def service(self) -> None:
        with self.client.post(
            "/api/v1/layanan",
            json=self._event(),
            headers=self.headers,
            name="POST /api/v1/layanan",
            catch_response=True,
        ) as r:
            if r.status_code not in (200, 201):
                r.failure(f"{r.status_code} {r.text[:120]}")

    @task(1)
    def ticket(self) -> None:
        body = {"service_point": self.point, "idempotency_key": f"{RUN}-q-{next(_serial)}"}
        with self.client.post(
            "/api/v1/antrian", json=body, headers=self.headers, name="POST /api/v1/antrian", catch_response=True
        ) as r:
            if r.status_code != 201:
                r.failure(f"{r.status_code} {r.text[:120]}")


class FieldDevice(HttpUser):
    weight = 2
    wait_time = between(30, 60)

    def on_start(self) -> None:
        self.people: list[tuple[str, str]] = []
        self.headers: dict[str, str] = {}
        body = {"username": next(_leaders), "password": PASSWORD, "label": f"HP {uuid.uuid4().hex[:6]}"}
        r = self.client.post("/api/v1/lapangan/perangkat", json=body, name="POST /api/v1/lapangan/perangkat")
        if r.status_code != 201:
            return
        self.headers = {"Authorization": f"Bearer {r.json()['token']}"}
        with self.client.get(
            "/api/v1/lapangan/hari", headers=self.headers, name="GET /api/v1/lapangan/hari", catch_response=True
        ) as day:
            if day.status_code != 200:
                day.failure(f"{day.status_code}")
                return
            package = day.json()
        today = dt.date.today().isoformat()
        self.people = [
            (s["stop_id"], p["ref"])
            for d in package["days"]
            if d["date"] == today
            for s in d["stops"]
            for p in s["people"]
        ]
        _rng.shuffle(self.people)
        self.stops = sorted({s for s, _ in self.people})

    @task
    def sync(self) -> None:
        if not self.people:
            return
        batch = []
        for _ in range(_rng.randint(1, 10)):
            stop, ref = self.people.pop() if len(self.people) > 1 else self.people[0]
            kind = _rng.choices(("direkam", "tidak_hadir", "menolak", "sudah_punya_ktp"), (6, 2, 1, 1))[0]
            batch.append(
                {
                    "key": str(uuid.uuid4()),
                    "stop_id": stop,
                    "ref": ref,
                    "outcome": kind,
                    "occurred_at": dt.datetime.now(WIB).isoformat(timespec="seconds"),
                }
            )
        with self.client.post(
            "/api/v1/lapangan/hasil",
            json={"outcomes": batch},
            headers=self.headers,
            name="POST /api/v1/lapangan/hasil",
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.text[:120]}")
                return
            refused = [x for x in r.json()["results"] if x["status"] == "refused"]
            if refused:
                _refused[0] += len(refused)
                r.failure(f"refused: {refused[0].get('code')}")


class ApiClient(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Bearer {_token(self, DATA['api_user'])}"}

    @task
    def coverage(self) -> None:
        params = _rng.choice(({}, {"level": "kab", "region": "13.71"}, {"level": "kec", "region": "13.71"}))
        with self.client.get(
            "/api/v1/coverage", params=params, headers=self.headers, name="GET /api/v1/coverage", catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.text[:120]}")
