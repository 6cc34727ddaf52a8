"""Benchmark: the service desk's logging throughput and latency (issue #8).

    .venv/bin/python benchmarks/desk_bench.py [--register benchmarks/.work/home-0.1] [--duration 10]
        [--clients 8,32] [--databases sqlite,postgresql] [--servers serve,uvicorn-2w] [--repeat 3]

A real server process on a fresh ops database (SQLite ops.db in a work REKAM_HOME, or a
throwaway PostgreSQL database at 127.0.0.1:5432) and the demo register; 8 service points (one
operator each, 100,000 blanko received); N closed-loop clients on the same machine, each
sending POST /api/v1/layanan one after the other for its point's operator (bearer token). The
mix: 30 % pencetakan (PRINT_READY residents: the point's row lock, the blanko balance, a
ledger row), 30 % perekaman of residents not yet recorded, 10 % perekaman of unknown NIKs (a
SIAK follow-up row), 30 % surat keterangan. Every event has a key of its own: each is the full
path (idempotency check, rules, event row, ledger, follow-up, one durable commit).

Servers: ``serve`` is ``python -m rekam serve`` as it is (one uvicorn process); ``serve-Nw`` is
``rekam serve --workers N`` (N processes, the connections dealt out in turn); ``uvicorn-Nw``
starts uvicorn on the app factory ``rekam.web.app:create_app`` with N worker processes (one
shared socket).

The load generator is asyncio over raw keep-alive HTTP/1.1 sockets (a few tens of microseconds
a request, so that it takes little of the 2 cores); latency is from writing the request to
reading the whole answer. Warm-up 2 s, then ``--duration`` seconds measured. CPU seconds of
the server, PostgreSQL and the generator over the measured window are recorded.

Beside it, in the same run, the raw insert rate: the same row shape (a service_events row)
inserted with sqlite3 (WAL, synchronous=FULL) or psycopg, one transaction per row, with 1 and
with 8 connections. Figures go to benchmarks/results/desk.jsonl.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import psutil

HERE = Path(__file__).parent
ROOT = HERE.parent
WORK = HERE / ".work" / "desk"
PY = sys.executable
PG_ADMIN = os.environ.get("REKAM_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-desk-123"
POINTS = [
    (f"SP-{i:02d}", code)
    for i, code in enumerate(("13.71", "13.72", "13.73", "13.74", "13.75", "13.06", "13.04", "13.77"), 1)
]
WARMUP_S = 2.0


# ---- the REKAM_HOME and the residents ------------------------------------------------------


def prepare_home(register: Path) -> Path:
    """A work REKAM_HOME with the register's snapshot (copied once) and its NIK index built."""
    home = WORK / "home"
    if not (home / "CURRENT").exists():
        if home.exists():
            shutil.rmtree(home)
        home.mkdir(parents=True)
        for name in ("CURRENT", "parts", "snapshots"):
            src = register / name
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, home / name)
    from rekam.ops.residents import current_directory

    current_directory(home)  # builds REKAM_HOME/index/<snapshot>-nik2.parquet, as the server's first request would
    return home


@dataclass
class Residents:
    printable: list[str]
    belum: list[str]
    registered: list[str]
    unknown: list[str]


def residents(home: Path) -> Residents:
    import duckdb

    index = next((home / "index").glob("*-nik2.parquet"))
    con = duckdb.connect()
    rows = con.execute(f"SELECT nik, ktp_status FROM read_parquet('{index}')").fetchall()
    rng = random.Random(7)
    every = {n for n, _ in rows}
    printable = [n for n, s in rows if s == "PRINT_READY_RECORD"]
    belum = [n for n, s in rows if s == "UNREGISTERED"]
    registered = [n for n, _ in rows]
    for seq in (printable, belum):
        rng.shuffle(seq)
    unknown = []
    serial = 0
    while len(unknown) < 50_000:
        serial += 1
        nik = f"1371{1 + serial % 11:02d}{1 + serial % 28:02d}{1 + serial % 12:02d}{70 + serial % 30:02d}{1 + serial % 9999:04d}"
        if nik not in every:
            unknown.append(nik)
    unknown = sorted(set(unknown))
    rng.shuffle(unknown)
    return Residents(printable, belum, registered, unknown)


# ---- the database --------------------------------------------------------------------------


def fresh_database(kind: str, home: Path) -> tuple[str | None, str]:
    """(REKAM_DATABASE_URL or None for SQLite, the SQLAlchemy URL) of an empty database."""
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{home / 'ops.db'}{suffix}").unlink(missing_ok=True)
        return None, f"sqlite:///{home / 'ops.db'}"
    import psycopg

    name = f"rekam_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1) + "/" + name
    return url, url


def drop_database(url: str | None) -> None:
    if not url:
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def populate(sa_url: str) -> None:
    """The points, one operator each, and blanko at every point."""
    from rekam.ops import blanko, points, users
    from rekam.ops.db import close_all, open_db

    db = open_db(sa_url)
    for point, region in POINTS:
        points.add_point(db, point, f"Loket {point}", region, "dinas")
        users.add_user(db, f"op-{point.lower()}", PASSWORD, "operator", None, point)
        blanko.record(db, point, "received", 100_000, f"terima-{point}")
    close_all()


# ---- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(server: str, home: Path, url: str | None, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "REKAM_DATABASE_URL"}
    env.update(REKAM_HOME=str(home), REKAM_LANG="en")
    if url:
        env["REKAM_DATABASE_URL"] = url
    if server == "serve":
        cmd = [PY, "-m", "rekam", "serve", "--port", str(port)]
    elif server.startswith("serve-"):  # serve-Nw: rekam serve --workers N
        cmd = [
            PY,
            "-m",
            "rekam",
            "serve",
            "--port",
            str(port),
            "--workers",
            server.removeprefix("serve-").removesuffix("w"),
        ]
    else:  # uvicorn-Nw: the app factory under uvicorn with N worker processes
        workers = server.removeprefix("uvicorn-").removesuffix("w")
        cmd = [
            PY,
            "-m",
            "uvicorn",
            "--factory",
            "rekam.web.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            workers,
            "--log-level",
            "warning",
            "--no-access-log",
        ]
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return proc
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not answer in 60 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def tokens(port: int) -> dict[str, str]:
    import httpx

    found = {}
    for point, _ in POINTS:
        r = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/auth/token",
            timeout=60,
            data={"username": f"op-{point.lower()}", "password": PASSWORD},
        )
        r.raise_for_status()
        found[point] = r.json()["access_token"]
    return found


def cpu_by_pid(procs: list[psutil.Process]) -> dict[int, float]:
    found = {}
    for p in procs:
        try:
            t = p.cpu_times()
            found[p.pid] = t.user + t.system
        except psutil.Error:
            pass
    return found


def server_procs(proc: subprocess.Popen[bytes]) -> list[psutil.Process]:
    p = psutil.Process(proc.pid)
    return [p, *p.children(recursive=True)]


def postgres_procs() -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["name"]) if (p.info["name"] or "").startswith("postgres")]


# ---- the load generator --------------------------------------------------------------------


class Mix:
    """The events: each with a key and, for perekaman and prints, a NIK of its own."""

    def __init__(self, people: Residents, run: str) -> None:
        self.people = people
        self.run = run
        self.n = 0
        self.printable = iter(people.printable)
        self.belum = iter(people.belum)
        self.unknown = iter(people.unknown)
        self.rng = random.Random(run)

    def next(self, point: str) -> dict[str, str]:
        self.n += 1
        slot = self.n % 10
        nik = None
        if slot < 3:
            jenis, nik = "pencetakan", next(self.printable, None)
        elif slot < 6:
            jenis, nik = "perekaman", next(self.belum, None)
        elif slot < 7:
            jenis, nik = "perekaman", next(self.unknown, None)
        if nik is None:
            jenis, nik = "surat_keterangan", self.rng.choice(self.people.registered)
        return {"nik": nik, "jenis": jenis, "service_point": point, "idempotency_key": f"{self.run}-{self.n}"}


async def one_client(
    port: int,
    token: str,
    point: str,
    mix: Mix,
    t_start: float,
    t_end: float,
    latencies: list[float],
    statuses: dict[int, int],
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"POST /api/v1/layanan HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n"
    try:
        while True:
            now = time.perf_counter()
            if now >= t_end:
                return
            body = json.dumps(mix.next(point)).encode()
            writer.write(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
            t0 = time.perf_counter()
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            t1 = time.perf_counter()
            if t0 >= t_start and t1 <= t_end:
                latencies.append(t1 - t0)
                statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


async def load(
    port: int, toks: dict[str, str], clients: int, mix: Mix, duration: float, measure: dict[str, float]
) -> tuple[list[float], dict[int, int]]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    t_start = time.perf_counter() + WARMUP_S
    t_end = t_start + duration

    async def window() -> None:  # the CPU clocks at the window's edges
        await asyncio.sleep(max(0.0, t_start - time.perf_counter()))
        measure["start"] = time.perf_counter()
        measure["cpu0"] = measure["sample"]()
        await asyncio.sleep(max(0.0, t_end - time.perf_counter()))
        measure["cpu1"] = measure["sample"]()

    points = [p for p, _ in POINTS]
    tasks = [
        one_client(
            port, toks[points[i % len(points)]], points[i % len(points)], mix, t_start, t_end, latencies, statuses
        )
        for i in range(clients)
    ]
    await asyncio.gather(window(), *tasks)
    return latencies, statuses


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_server(
    db_kind: str, server: str, clients: int, duration: float, home: Path, people: Residents, repeat_no: int
) -> dict[str, object]:
    env_url, sa_url = fresh_database(db_kind, home)
    try:
        populate(sa_url)
        port = free_port()
        proc = start_server(server, home, env_url, port, WORK / "serve.log")
        try:
            toks = tokens(port)
            mix = Mix(people, f"r{repeat_no}-{db_kind}-{server}-{clients}-{uuid.uuid4().hex[:6]}")
            me = psutil.Process()
            sys_cpu: dict[str, object] = {}

            def sample() -> dict[str, dict[int, float]]:  # CPU seconds per process (new ones count from 0)
                sys_cpu["t1" if "t0" in sys_cpu else "t0"] = psutil.cpu_times()
                pgs = postgres_procs() if db_kind == "postgresql" else []
                return {
                    "server": cpu_by_pid(server_procs(proc)),
                    "postgres": cpu_by_pid(pgs),
                    "generator": cpu_by_pid([me]),
                }

            measure: dict[str, object] = {"sample": sample}
            load1_before = os.getloadavg()[0]
            latencies, statuses = asyncio.run(load(port, toks, clients, mix, duration, measure))  # type: ignore[arg-type]
            load1_after = os.getloadavg()[0]
            c0, c1 = measure["cpu0"], measure["cpu1"]  # type: ignore[index]
            t0, t1 = sys_cpu["t0"], sys_cpu["t1"]
            busy = lambda t: t.user + t.system + t.nice + t.irq + t.softirq  # noqa: E731
            machine_busy = (busy(t1) - busy(t0)) / duration  # cores busy, everything on the machine
            cpu = {k: round(sum(t - c0[k].get(pid, 0.0) for pid, t in c1[k].items()) / duration, 2) for k in c0}  # type: ignore[index, attr-defined]
            cpu["machine"] = round(machine_busy, 2)
            cpu["other"] = round(machine_busy - sum(v for k, v in cpu.items() if k != "machine"), 2)
        finally:
            stop_server(proc)
        stored = count_events(sa_url)
    finally:
        from rekam.ops.db import close_all

        close_all()
        drop_database(env_url)
    ok = sum(n for s, n in statuses.items() if s in (200, 201))
    return {
        "events_per_s": round(ok / duration, 1),
        "p50_ms": round(pct(latencies, 0.5) * 1000, 1),
        "p99_ms": round(pct(latencies, 0.99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
        "requests": len(latencies),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "stored_events": stored,
        "cores_busy": cpu,
        "load1_before": round(load1_before, 2),
        "load1_after": round(load1_after, 2),
    }


def count_events(sa_url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(sa_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM service_events")).scalar_one())
    finally:
        engine.dispose()


# ---- the raw insert rate -------------------------------------------------------------------


def _row(i: int, tag: str) -> tuple[object, ...]:
    now = datetime.now(UTC)
    digest = hashlib.sha256(f"{tag}-{i}".encode()).hexdigest()
    return (
        "SP-01",
        f"raw-{tag}-{i}",
        digest,
        "perekaman",
        f"13710115029{i % 100000:05d}",
        now.isoformat(),
        date(2024, 11, 27).isoformat(),
        1,
        "selesai",
        "UNREGISTERED",
        True,
        False,
        False,
        None,
        now.isoformat(),
    )


_COLS = (
    "service_point_id, idempotency_key, request_hash, kind, nik, occurred_at, service_date, operator_id, "
    "outcome, status_before, nik_known, siak_follow_up, duplicate_confirmed, note, created_at"
)


def raw_inserts(db_kind: str, home: Path, connections: int, duration: float) -> dict[str, object]:
    """Rows of the service_events shape, one transaction (one durable commit) per row."""
    env_url, sa_url = fresh_database(db_kind, home)
    try:
        populate(sa_url)
        counts = [0] * connections
        stop = time.perf_counter() + duration

        def worker(n: int) -> None:
            if db_kind == "sqlite":
                conn = sqlite3.connect(str(home / "ops.db"), timeout=30, isolation_level=None)
                for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=30000"):
                    conn.execute(f"PRAGMA {pragma}")
                sql = f"INSERT INTO service_events ({_COLS}) VALUES ({', '.join('?' * 15)})"
                i = 0
                while time.perf_counter() < stop:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute(sql, _row(i, f"{n}"))
                    conn.execute("COMMIT")
                    i += 1
                conn.close()
            else:
                import psycopg

                sql = f"INSERT INTO service_events ({_COLS}) VALUES ({', '.join(['%s'] * 15)})"
                with psycopg.connect(sa_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
                    i = 0
                    while time.perf_counter() < stop:
                        with conn.transaction():
                            conn.execute(sql, _row(i, f"{n}"))
                        i += 1
            counts[n] = i

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stored = count_events(sa_url)
        assert stored == sum(counts), (stored, counts)
    finally:
        from rekam.ops.db import close_all

        close_all()
        drop_database(env_url)
    return {"rows_per_s": round(sum(counts) / duration, 1), "connections": connections}


# ---- main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--register",
        type=Path,
        default=HERE / ".work" / "home-0.1",
        help="a REKAM_HOME holding an imported register (its snapshot is copied)",
    )
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--clients", default="8,32")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--servers", default="serve")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--raw-duration", type=float, default=4.0)
    parser.add_argument("--note", default="")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "desk.jsonl")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    if not (args.register / "CURRENT").exists():
        raise SystemExit(f"no register in {args.register}: `rekam demo`/`rekam import` one, or give --register")
    home = prepare_home(args.register)
    people = residents(home)
    rows = sum(1 for _ in people.registered)
    results = []
    for repeat_no in range(args.repeat):
        for db_kind in args.databases.split(","):
            raw = [raw_inserts(db_kind, home, n, args.raw_duration) for n in (1, 8)]
            for server in args.servers.split(","):
                for clients in (int(c) for c in args.clients.split(",")):
                    figures = run_server(db_kind, server, clients, args.duration, home, people, repeat_no)
                    rec = {
                        "date": time.strftime("%Y-%m-%d %H:%M"),
                        "cores": os.cpu_count(),
                        "residents": rows,
                        "database": db_kind,
                        "server": server,
                        "clients": clients,
                        "duration_s": args.duration,
                        "repeat": repeat_no,
                        **figures,
                        "raw_insert": raw,
                        "note": args.note,
                    }
                    results.append(rec)
                    with args.out.open("a") as f:
                        f.write(json.dumps(rec) + "\n")
                    print(
                        f"{db_kind:10} {server:12} {clients:3} clients: {rec['events_per_s']:7.1f} ev/s  "
                        f"p50 {rec['p50_ms']:6.1f} ms  p99 {rec['p99_ms']:6.1f} ms  raw {raw[0]['rows_per_s']}/"
                        f"{raw[1]['rows_per_s']} rows/s  cpu {rec['cores_busy']}  load {rec['load1_before']}",
                        flush=True,
                    )
    print("\nmedians:")
    keys = sorted({(r["database"], r["server"], r["clients"]) for r in results})
    for key in keys:
        group = [r for r in results if (r["database"], r["server"], r["clients"]) == key]
        med = {k: statistics.median(float(r[k]) for r in group) for k in ("events_per_s", "p50_ms", "p99_ms")}  # type: ignore[arg-type]
        raw1 = statistics.median(float(r["raw_insert"][0]["rows_per_s"]) for r in group)  # type: ignore[index]
        raw8 = statistics.median(float(r["raw_insert"][1]["rows_per_s"]) for r in group)  # type: ignore[index]
        print(
            f"{key[0]:10} {key[1]:12} {key[2]:3}: {med['events_per_s']:7.1f} ev/s p50 {med['p50_ms']:.1f} "
            f"p99 {med['p99_ms']:.1f} ms; raw 1 conn {raw1:.0f}, 8 conn {raw8:.0f} rows/s (n={len(group)})"
        )


if __name__ == "__main__":
    main()
