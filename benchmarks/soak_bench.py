"""Benchmark: one server under a mixed load over time, the soak (issue 21), with Locust.

    .venv/bin/python benchmarks/soak_bench.py [--register benchmarks/.work/web-home-1.0]
        [--search 25,50,100,150,200] [--step-s 60] [--soak-s 600] [--up 2,3] [--up-s 90] [--users N]

The REKAM_HOME is a hard-linked copy of the register home (web_bench.py makes
``benchmarks/.work/web-home-<scale>``: the demo register, its sites and desa coordinates) in
``benchmarks/.work/soak/home``, with a plan of Kota Padang from today (``make_scenario`` and
``solve_plan``, greedy and a few iterations: quick, as tests/web/test_field_browser.py makes it)
in its ``plans/``. The ops database is a throwaway PostgreSQL database at 127.0.0.1:5432
(desk_bench.py's, REKAM_BENCH_PG): desk_bench's 8 service points, one operator each, 100,000
blanko each; 4 keliling points of 13.71 with two team leaders each (role tim, ``--team T1..T4``);
the Kadis (admin-provinsi 13), a dinas user for each of 4 kab/kota and an API user
(admin-provinsi 13).

The server is ``rekam serve --workers 2`` as a user starts it (REKAM_DATABASE_URL, REKAM_HOME);
its memory (RSS of the process tree) is sampled every 5 s. It is started once and answers every
run below (its first page is asked once before them: the warm-up, timed).

The users are Locust's (benchmarks/soak_locustfile.py: Kadis, dinas, operators, field devices,
API clients, with their weights and think times), run headless by Locust's CLI with CSV stats,
every user spawned in the first second (a burst of logins). The runs:

1. the search: ``--search`` users for ``--step-s`` each, stopping at the first that misses
   (p95 of the non-login requests > 500 ms, or any failure); held = the last that passed;
2. the soak: held users for ``--soak-s``;
3. the step up: ``--up`` times held users for ``--up-s`` each.

Each run is a line in benchmarks/results/soak.jsonl (per route: requests, failures, p50/p95/p99,
requests/s; the server's RSS at the run's start, end and peak; the machine's load).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).parent))
import desk_bench  # noqa: E402
import web_bench  # noqa: E402

HERE = Path(__file__).parent
WORK = HERE / ".work" / "soak"
PY = sys.executable
PASSWORD = desk_bench.PASSWORD
ELECTION = "2024-11-27"
KABS = ("13.71", "13.72", "13.73", "13.74")
TEAMS = 4
P95_GOAL_MS = 500
MAX_RUNS = 16  # the NIK pools are cut in this many slices, one a run


def soak_home(register: Path) -> Path:
    """A hard-linked copy of the register home (nothing of it is rewritten in place)."""
    home = WORK / "home"
    if home.exists():
        shutil.rmtree(home)
    skip = shutil.ignore_patterns("tmp", "ops.db*", "web-secret", "audit*", "plans")
    shutil.copytree(register, home, ignore=skip, copy_function=os.link)
    return home


def make_plan(home: Path) -> str:
    """A plan of Kota Padang from today, 3 days, TEAMS teams, in home/plans (quick: greedy + 60 iterations)."""
    from rekam.api import Rekam
    from rekam.config import Settings
    from rekam.ops.db import close_all

    rekam = Rekam(Settings(home=home))
    today = dt.date.today()
    raw = rekam.make_scenario(
        "13.71",
        today,
        today + dt.timedelta(days=2),
        teams=TEAMS,
        as_of=dt.date.fromisoformat(web_bench.AS_OF),
        election_date=dt.date.fromisoformat(ELECTION),
        weekdays="1-7",
    )
    path = WORK / "padang-soak.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    rekam.solve_plan(path, time_limit=None, iterations=60, bound_time_limit=5)
    close_all()
    return path.name


def populate(sa_url: str) -> dict[str, Any]:
    """desk_bench's points and operators, team leaders, the Kadis, dinas users and an API user."""
    from rekam.ops import points, users
    from rekam.ops.db import close_all, open_db

    desk_bench.populate(sa_url)
    db = open_db(sa_url)
    leaders = []
    for t in range(1, TEAMS + 1):
        point = f"TIM-PDG-{t}"
        points.add_point(db, point, f"Tim T{t:02d} Kota Padang", "13.71", "keliling")
        for who in ("ketua", "wakil"):  # the plan names its teams T01, T02, ...
            users.add_user(db, f"{who}-t{t}", PASSWORD, "tim", None, point, team=f"T{t:02d}")
            leaders.append(f"{who}-t{t}")
    users.add_user(db, "kadis-sumbar", PASSWORD, "admin-provinsi", "13")
    users.add_user(db, "api-sumbar", PASSWORD, "admin-provinsi", "13")
    dinas = []
    for kab in KABS:
        name = f"dinas-{kab.replace('.', '')}"
        users.add_user(db, name, PASSWORD, "dinas", kab)
        dinas.append([name, kab])
    close_all()
    return {
        "operators": [[f"op-{p.lower()}", p] for p, _ in desk_bench.POINTS],
        "leaders": leaders,
        "kadis": "kadis-sumbar",
        "api_user": "api-sumbar",
        "dinas": dinas,
    }


def nik_pools(home: Path) -> dict[str, list[str]]:
    """PRINT_READY and UNREGISTERED residents, NIKs not in the register, and registered ones (samples)."""
    import duckdb

    from rekam.ops.residents import current_directory

    current_directory(home)  # the NIK index, as the server's first desk request would build it
    index = next((home / "index").glob("*-nik2.parquet"))
    con = duckdb.connect()
    con.execute("SELECT setseed(0.7)")

    def sample(where: str, n: int) -> list[str]:
        sql = f"SELECT nik FROM read_parquet('{index}') WHERE {where} ORDER BY random() LIMIT {n}"
        return [r[0] for r in con.execute(sql).fetchall()]

    printable = sample("ktp_status = 'PRINT_READY_RECORD'", 160_000)
    belum = sample("ktp_status = 'UNREGISTERED'", 160_000)
    registered = sample("true", 20_000)
    candidates = sorted(
        {
            f"1371{1 + s % 11:02d}{1 + s % 28:02d}{1 + s % 12:02d}{70 + s % 30:02d}{1 + s % 9999:04d}"
            for s in range(1, 200_000)
        }
    )
    con.execute("CREATE TEMP TABLE c (nik VARCHAR)")
    con.executemany("INSERT INTO c VALUES (?)", [(n,) for n in candidates])
    unknown = [
        r[0]
        for r in con.execute(f"SELECT nik FROM c ANTI JOIN read_parquet('{index}') USING (nik) ORDER BY nik").fetchall()
    ]
    random.Random(7).shuffle(unknown)
    return {"printable": printable, "belum": belum, "unknown": unknown, "registered": registered}


def desa_codes(home: Path) -> tuple[dict[str, list[str]], str]:
    """Desa codes of each kab/kota browsed (those of the register) and a kecamatan of 13.71."""
    import duckdb

    index = next((home / "index").glob("*-nik2.parquet"))
    con = duckdb.connect()
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{index}')").fetchall()]
    col = next(c for c in ("desa_code", "kode_desa", "desa") if c in cols)
    found: dict[str, list[str]] = {}
    for kab in KABS:
        rows = con.execute(
            f"SELECT DISTINCT {col} FROM read_parquet('{index}') WHERE {col} LIKE '{kab}.%' ORDER BY 1 LIMIT 40"
        ).fetchall()
        found[kab] = [str(r[0]) for r in rows]
    kec = ".".join(found["13.71"][0].split(".")[:3])
    return found, kec


# ---- the server and its memory ---------------------------------------------------------------


class Memory(threading.Thread):
    """The server's process tree's RSS (MB) every ``every`` seconds: (time, MB)."""

    def __init__(self, proc: subprocess.Popen[bytes], every: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.proc, self.every = proc, every
        self.samples: list[tuple[float, float]] = []
        self.stopped = threading.Event()

    def now(self) -> float:
        total = 0
        for p in desk_bench.server_procs(self.proc):
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return round(total / 2**20, 1)

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            self.samples.append((time.time(), self.now()))


def warm_up(port: int, kec: str, desa: str, nik: str) -> dict[str, float]:
    """A service logged (the day has begun: the live figures are as of today, a date the snapshot's
    figures were not computed for), then the Kadis's pages asked once on each of two connections
    (the workers take them in turn), before any run: seconds of the slower of the two, per page."""
    import httpx

    pages = ["/wilayah/13", "/wilayah/13.71", f"/wilayah/{kec}", "/peta/13.71", f"/daftar/{desa}", "/rencana"]
    took: dict[str, float] = {}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as c:  # today's first service
        point = desk_bench.POINTS[0][0]
        auth = c.post("/api/v1/auth/token", data={"username": f"op-{point.lower()}", "password": PASSWORD})
        event = {"nik": nik, "jenis": "surat_keterangan", "service_point": point, "idempotency_key": "warm-up"}
        headers = {"Authorization": f"Bearer {auth.json()['access_token']}"}
        c.post("/api/v1/layanan", json=event, headers=headers).raise_for_status()
    for _ in range(2):
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as c:
            c.post("/login", data={"username": "kadis-sumbar", "password": PASSWORD, "next": "/"})
            for page in pages:
                t0 = time.perf_counter()
                c.get(page).raise_for_status()
                took[page] = round(max(took.get(page, 0.0), time.perf_counter() - t0), 2)
    return took


# ---- one Locust run ------------------------------------------------------------------------


def locust_run(
    port: int, users: int, seconds: int, data: dict[str, Any], run_no: int, memory: Memory, phase: str
) -> dict[str, Any]:
    run = f"{phase}-{users}-{uuid.uuid4().hex[:6]}"
    pools = data["pools"]
    data_run = {k: v for k, v in data.items() if k != "pools"}
    data_run["run"] = run
    data_run["niks"] = {
        k: v if k == "registered" else v[run_no * len(v) // MAX_RUNS : (run_no + 1) * len(v) // MAX_RUNS]
        for k, v in pools.items()
    }
    data_file = WORK / f"data-{run_no}.json"
    data_file.write_text(json.dumps(data_run), encoding="utf-8")
    prefix = WORK / f"run-{run_no}-{phase}-{users}"
    cmd = [
        PY,
        "-m",
        "locust",
        "-f",
        str(HERE / "soak_locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--host",
        f"http://127.0.0.1:{port}",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = os.environ | {"SOAK_DATA": str(data_file), "SOAK_OUT": f"{prefix}_work.json"}
    load0, rss0, t0 = os.getloadavg()[0], memory.now(), time.time()
    cpu0 = psutil.cpu_times()
    with (WORK / f"locust-{run_no}.log").open("wb") as log:
        subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    t1, rss1, load1 = time.time(), memory.now(), os.getloadavg()[0]
    cpu1 = psutil.cpu_times()

    def busy(t: Any) -> float:
        return float(t.user + t.system + t.nice + t.irq + t.softirq)

    routes = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["Name"] if row["Name"] != "Aggregated" else "all"
            routes[name] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 2),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "max_ms": round(float(row["Max Response Time"] or 0)),
            }
    failures = []
    with open(f"{prefix}_failures.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            failures.append(
                {"route": f"{row['Method']} {row['Name']}", "error": row["Error"][:200], "n": int(row["Occurrences"])}
            )
    summary = json.loads(Path(f"{prefix}_work.json").read_text(encoding="utf-8"))
    rss = [m for t, m in memory.samples if t0 <= t <= t1]
    failed = sum(r["failures"] for name, r in routes.items() if name != "all")
    return {
        "phase": phase,
        "users": users,
        "seconds": seconds,
        "run": run,
        "routes": routes,
        "failures": failures,
        "failed_requests": failed,
        "work": summary["work"],  # every request but the logins: their p50/p95/p99
        "field_refused": summary["refused"],
        "rss_mb_start": rss0,
        "rss_mb_end": rss1,
        "rss_mb_peak": max([rss0, rss1, *rss]),
        # the RSS each minute of the run (the last sample of each minute): growth or a plateau
        "rss_mb_by_minute": [
            next((m for t, m in reversed(memory.samples) if t0 + 60 * i <= t <= t0 + 60 * (i + 1)), rss0)
            for i in range(int((t1 - t0) // 60))
        ],
        "load1_start": round(load0, 2),
        "load1_end": round(load1, 2),
        "cores_busy": round((busy(cpu1) - busy(cpu0)) / max(1.0, t1 - t0), 2),
        "started": time.strftime("%H:%M:%S", time.gmtime(t0)),
        "wall_s": round(t1 - t0, 1),
    }


def passed(rec: dict[str, Any]) -> bool:
    """No failure, and the p95 of the requests that are not logins within the goal."""
    p95 = rec["work"]["p95_ms"]
    return rec["failed_requests"] == 0 and p95 is not None and p95 <= P95_GOAL_MS


def show(rec: dict[str, Any]) -> None:
    a = rec["routes"].get("all", {})
    print(
        f"{rec['started']} {rec['phase']:7} {rec['users']:4} users {rec['seconds']:4}s: {a.get('rps', 0):6.1f} req/s "
        f"p50 {a.get('p50_ms')} p95 {a.get('p95_ms')} p99 {a.get('p99_ms')} ms, work p95 {rec['work']['p95_ms']} ms, "
        f"failed {rec['failed_requests']}, RSS {rec['rss_mb_start']}->{rec['rss_mb_end']} MB (peak "
        f"{rec['rss_mb_peak']}), load {rec['load1_start']}->{rec['load1_end']} -> {'ok' if passed(rec) else 'MISSED'}",
        flush=True,
    )
    for name, r in sorted(rec["routes"].items()):
        print(
            f"    {name:36} {r['requests']:7} {r['failures']:5} {r['rps']:7.2f}/s {r['p50_ms']:7.0f} {r['p95_ms']:7.0f} {r['p99_ms']:7.0f}"
        )
    for f in rec["failures"][:8]:
        print(f"    ! {f['route']}: {f['n']} x {f['error']}")


def table(path: Path, since: str) -> None:
    """The README's tables of the runs in ``path`` started at or after ``since`` (YYYY-MM-DD HH:MM)."""
    recs = [r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r["date"] >= since]
    print(
        "| run | users | s | req/s | p50 / p95 / p99 ms (no logins) | failed | server RSS MB start -> end (peak) | load1 | cores busy |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in recs:
        w, a = r["work"], r["routes"].get("all", {})
        print(
            f"| {r['phase']} {r['started']} | {r['users']} | {r['seconds']} | {a.get('rps', 0):.1f} | "
            f"{w['p50_ms']:.0f} / {w['p95_ms']:.0f} / {w['p99_ms']:.0f} | {r['failed_requests']} | "
            f"{r['rss_mb_start']:.0f} -> {r['rss_mb_end']:.0f} ({r['rss_mb_peak']:.0f}) | "
            f"{r['load1_start']} -> {r['load1_end']} | {r['cores_busy']} |"
        )
    for r in recs:
        if r["phase"] not in ("soak", "stepup"):
            continue
        print(f"\n{r['phase']}, {r['users']} users, {r['seconds']} s, per route:\n")
        print("| route | requests | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |")
        print("|---|---|---|---|---|---|---|---|")
        for name, x in sorted(r["routes"].items(), key=lambda kv: (kv[0] == "all", kv[0])):
            print(
                f"| {name} | {x['requests']} | {x['failures']} | {x['rps']} | {x['p50_ms']:.0f} | {x['p95_ms']:.0f} | "
                f"{x['p99_ms']:.0f} | {x['max_ms']} |"
            )
        for f in r["failures"][:6]:
            print(f"\nfailure: {f['route']}: {f['n']} x `{f['error'][:150]}`")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--register", type=Path, default=HERE / ".work" / "web-home-1.0")
    parser.add_argument("--search", default="25,50,100,150,200,300")
    parser.add_argument("--step-s", type=int, default=60)
    parser.add_argument("--users", type=int, help="skip the search: soak at this many users")
    parser.add_argument("--soak-s", type=int, default=600)
    parser.add_argument("--up", default="2,3")
    parser.add_argument("--up-s", type=int, default=90)
    parser.add_argument(
        "--settle-s", type=int, default=0, help="a run at the soak's load before it, on the same server"
    )
    parser.add_argument("--start-after", help="HH:MM (UTC): the runs wait for this time, then for load1 < --max-load")
    parser.add_argument("--max-load", type=float, default=1.5)
    parser.add_argument("--max-wait-s", type=int, default=180, help="the longest wait for the load after --start-after")
    parser.add_argument("--note", default="")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "soak.jsonl")
    parser.add_argument("--table", metavar="SINCE", help="print the README tables of --out's runs since this date")
    args = parser.parse_args()
    if args.table:
        table(args.out, args.table)
        return

    if not (args.register / "CURRENT").exists():
        raise SystemExit(f"no register in {args.register}: run benchmarks/web_bench.py --scale 1.0 once to make it")
    WORK.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    home = soak_home(args.register)
    plan = make_plan(home)
    pools = nik_pools(home)
    desa_of, kec = desa_codes(home)
    print(f"home, plan {plan} and NIKs ready in {time.perf_counter() - t:.0f} s", flush=True)
    os.environ["REKAM_ELECTION_DATE"] = ELECTION
    env_url, sa_url = desk_bench.fresh_database("postgresql", home)
    try:
        data = populate(sa_url)
        data |= {"password": PASSWORD, "pools": pools, "desa_of": desa_of, "desa": desa_of["13.71"], "kecamatan": kec}
        port = desk_bench.free_port()
        proc = desk_bench.start_server("serve-2w", home, env_url, port, WORK / "serve.log")
        memory = Memory(proc)
        memory.start()
        try:
            first = warm_up(port, kec, desa_of["13.71"][0], pools["registered"][0])
            print(f"server up (rekam serve --workers 2); warm-up pages {first} s, RSS {memory.now()} MB", flush=True)
            records: list[dict[str, Any]] = []
            run_no = 0

            def one(users: int, seconds: int, phase: str) -> dict[str, Any]:
                nonlocal run_no
                rec = locust_run(port, users, seconds, data, run_no, memory, phase)
                run_no += 1
                rec |= {
                    "date": time.strftime("%Y-%m-%d %H:%M"),
                    "cores": os.cpu_count(),
                    "register": str(args.register.name),
                    "server": "rekam serve --workers 2",
                    "database": "postgresql",
                    "warm_up_s": first,
                    "note": args.note,
                }
                records.append(rec)
                with args.out.open("a") as f:
                    f.write(json.dumps(rec) + "\n")
                show(rec)
                return rec

            if args.start_after:
                at = dt.datetime.combine(dt.date.today(), dt.time.fromisoformat(args.start_after), dt.UTC)
                while dt.datetime.now(dt.UTC) < at:
                    time.sleep(5)
                until = time.time() + args.max_wait_s
                while os.getloadavg()[0] >= args.max_load and time.time() < until:
                    time.sleep(5)
                print(f"{time.strftime('%H:%M:%S')} load1 {os.getloadavg()[0]:.2f}: the soak starts", flush=True)
            held = args.users
            if held is None:
                held = 0
                for users in (int(u) for u in args.search.split(",")):
                    if not passed(one(users, args.step_s, "search")):
                        break
                    held = users
                if held == 0:  # none held: the soak runs at the smallest step anyway, and says so
                    held = int(args.search.split(",")[0])
                    print(f"no step of the search held: the soak runs at {held} users", flush=True)
            if args.settle_s:
                one(held, args.settle_s, "settle")
            if args.soak_s:
                soak = one(held, args.soak_s, "soak")
                growth = (soak["rss_mb_end"] - soak["rss_mb_start"]) / soak["rss_mb_start"]
                print(f"soak: RSS {soak['rss_mb_start']} -> {soak['rss_mb_end']} MB ({growth:+.1%})", flush=True)
            for factor in (float(f) for f in args.up.split(",") if f):
                one(int(held * factor), args.up_s, "stepup")
        finally:
            memory.stopped.set()
            desk_bench.stop_server(proc)
    finally:
        from rekam.ops.db import close_all

        close_all()
        desk_bench.drop_database(env_url)


if __name__ == "__main__":
    main()
