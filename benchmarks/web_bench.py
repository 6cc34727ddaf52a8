"""Benchmark: the dashboard's pages at Sumatera Barat scale (issue #7: a page in <= 1 s).

    .venv/bin/python benchmarks/web_bench.py [--home benchmarks/.work/web-home-1.0] [--repeat 10]

The REKAM_HOME (default ``benchmarks/.work/web-home-1.0``) is made once: a copy of the register
of ``benchmarks/.work/home-1.0`` when one is imported there (the other benchmarks' home is
never changed), otherwise ``rekam demo generate --scale 1.0`` + ``rekam import``; then the demo's
sites and desa coordinates (``rekam sites import``) and a benchmark user (admin-provinsi of
13, a fresh random password each run, never written down).

A real server (``rekam serve``, REKAM_ELECTION_DATE=2024-11-27) is measured over HTTP with
httpx, wall time from the request to the last byte:

- cold: the page as the FIRST request of a freshly started server (the figure cache is
  empty: this request pays for computing the coverage of every level, the trend, the
  ranking, ...). The operating system's file cache is warm, as on a running office server.
- warm: the same page again, ``--repeat`` times (median, min, max): the figures are cached.

In the same run, the bare engine on the same snapshot: ``rekam coverage --level kab
--region 13`` as a command (process start included), ``api.coverage_levels`` for all four
levels (what the cache fill runs) and the hand-written DuckDB query of
``coverage_bench.py`` (both measured inside a fresh process). Results are appended to
``benchmarks/results/web.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).parent
ROOT = HERE.parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))

from _measure import measure  # noqa: E402

AS_OF = "2024-11-13"
ELECTION = "2024-11-27"
USER = "bench-sumbar"
GOAL_S = 1.0


def rekam(*args: str, env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "-m", "rekam", *args], env=env, check=True, capture_output=True, text=True)
    return out.stdout


def prepare(home: Path, source: Path, demo: Path, env: dict[str, str]) -> None:
    """The benchmark home: register, sites, desa coordinates (made once, reused)."""
    env = env | {"REKAM_HOME": str(home)}
    if not (home / "CURRENT").exists():
        if (source / "CURRENT").exists():
            print(f"copying the register of {source} to {home}", file=sys.stderr)
            shutil.copytree(source, home, ignore=shutil.ignore_patterns("tmp", "ops.db*", "web-secret", "audit*"))
        else:
            if not (demo / "siak").is_dir():
                print(f"generating the scale-1.0 demo in {demo}", file=sys.stderr)
                rekam("demo", "generate", "--out", str(demo), "--scale", "1.0", env=env)
            print(f"importing {demo}/siak into {home}", file=sys.stderr)
            rekam("import", *map(str, sorted((demo / "siak").glob("*.csv"))), "--date", AS_OF, env=env)
    if not (home / "sites").is_dir():
        if not (demo / "sites").is_dir():
            raise SystemExit(f"no demo sites in {demo}: run 'rekam demo generate --out {demo} --scale 1.0'")
        print("importing sites and desa coordinates", file=sys.stderr)
        rekam(
            "sites",
            "import",
            *map(str, sorted((demo / "sites").glob("*.csv"))),
            str(demo / "wilayah" / "desa.csv"),
            env=env,
        )


def bench_password(home: Path) -> str:
    """A fresh random password for the benchmark user (created when missing)."""
    from rekam.config import Settings
    from rekam.errors import OpsNotFound
    from rekam.ops import users
    from rekam.ops.db import close_all, open_db

    password = secrets.token_urlsafe(18)
    db = open_db(settings=Settings(home=home))
    try:
        users.load(db, USER)
        users.reset_password(db, USER, password)
    except OpsNotFound:
        users.add_user(db, USER, password, "admin-provinsi", "13")
    close_all()
    return password


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``rekam serve`` on a free port, started fresh (an empty figure cache)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "rekam", "serve", "--port", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"rekam serve exited: {self.proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if httpx.get(f"{self.url}/login", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("rekam serve did not answer in 60 s")
            time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def client(url: str, password: str) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=120)
    r = c.post("/login", data={"username": USER, "password": password})
    if r.status_code != 303 or "rekam_token" not in c.cookies:
        raise SystemExit(f"login failed: {r.status_code}")
    return c


def timed(c: httpx.Client, path: str) -> tuple[float, int]:
    t = time.perf_counter()
    r = c.get(path)
    seconds = time.perf_counter() - t
    if r.status_code != 200:
        raise SystemExit(f"GET {path}: {r.status_code} {r.text[:300]}")
    return seconds, len(r.content)


def concurrent(env: dict[str, str], password: str, warm_path: str, cold_path: str) -> dict[str, float]:
    """A warm page asked for again and again while another user's request computes new
    figures (another date: a full pass over the register, and the province ranking)."""
    import threading

    server = Server(env)
    try:
        c = client(server.url, password)
        timed(c, warm_path)  # cache filled
        other = client(server.url, password)
        done: dict[str, float] = {}
        thread = threading.Thread(target=lambda: done.update(cold_s=timed(other, cold_path)[0]))
        thread.start()
        time.sleep(0.05)
        times = []
        while thread.is_alive():
            times.append(timed(c, warm_path)[0])
        thread.join()
        c.close()
        other.close()
    finally:
        server.stop()
    return {
        "other_cold_s": round(done.get("cold_s", float("nan")), 3),
        "warm_requests": len(times),
        "warm_median_s": round(statistics.median(times), 4) if times else None,
        "warm_max_s": round(max(times), 3) if times else None,
    }


def pick_desa(env: dict[str, str], kec: str) -> str:
    """The desa of ``kec`` with the most people still to record (a long by-name list)."""
    rows = json.loads(
        rekam("coverage", "--as-of", AS_OF, "--level", "desa", "--region", kec, "--format", "json", env=env)
    )
    return max(rows, key=lambda r: r["belum_rekam"])["region_code"]


def bare_engine(home: Path, env: dict[str, str]) -> dict[str, float]:
    """The same coverage straight on the engine, in this run."""
    out: dict[str, float] = {}
    cli = measure(
        [
            sys.executable,
            "-m",
            "rekam",
            "coverage",
            "--as-of",
            AS_OF,
            "--level",
            "kab",
            "--region",
            "13",
            "--format",
            "json",
        ],
        env=env,
    )
    out["cli_coverage_kab_wall_s"] = cli["wall_s"]  # type: ignore[assignment]
    for variant in ("rekam", "duckdb_hand"):
        r = measure([sys.executable, str(HERE / "coverage_bench.py"), "--home", str(home), "--run", variant], env=env)
        out[f"coverage_levels_{variant}_s"] = round(json.loads(str(r["stdout"]).splitlines()[-1])["seconds"], 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, default=WORK / "web-home-1.0")
    ap.add_argument("--from-home", type=Path, default=WORK / "home-1.0", help="an imported register to copy")
    ap.add_argument("--demo", type=Path, default=WORK / "demo-1.0", help="the generated demo folder (sites)")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--cold-repeat", type=int, default=3, help="fresh servers per page for the cold time (median)")
    ap.add_argument("--only-concurrent", action="store_true", help="only the warm-page-during-a-computation case")
    args = ap.parse_args()

    env = {k: v for k, v in os.environ.items() if k not in ("REKAM_DATABASE_URL",)}
    env.update(REKAM_HOME=str(args.home), REKAM_ELECTION_DATE=ELECTION, REKAM_LANG="id")
    prepare(args.home, args.from_home, args.demo, env)
    password = bench_password(args.home)
    during = concurrent(env, password, "/wilayah/13.71", "/wilayah/13?as_of=2024-11-06")
    print(f"warm /wilayah/13.71 while /wilayah/13?as_of=2024-11-06 computes: {during}", file=sys.stderr)
    if args.only_concurrent:
        return
    kab, kec = "13.71", "13.71.01"
    desa = pick_desa(env, kec)
    pages = {
        "province /wilayah/13": "/wilayah/13",
        f"kab/kota /wilayah/{kab}": f"/wilayah/{kab}",
        f"kecamatan /wilayah/{kec}": f"/wilayah/{kec}",
        f"desa /wilayah/{desa}": f"/wilayah/{desa}",
        f"map /peta/{kab}": f"/peta/{kab}",
        f"by-name list /daftar/{desa}": f"/daftar/{desa}",
        "quality /kualitas/13": "/kualitas/13",
        "API /api/v1/coverage?level=kab&region=13": "/api/v1/coverage?level=kab&region=13",
    }
    results: dict[str, dict[str, float]] = {}
    for label, path in pages.items():
        colds: list[float] = []
        warm: list[float] = []
        for _ in range(args.cold_repeat):
            server = Server(env)
            try:
                c = client(server.url, password)
                cold, size = timed(c, path)
                colds.append(cold)
                if not warm:
                    warm = [timed(c, path)[0] for _ in range(args.repeat)]
                c.close()
            finally:
                server.stop()
        cold = statistics.median(colds)
        results[label] = {
            "cold_s": round(cold, 3),
            "cold_runs_s": [round(x, 3) for x in colds],
            "warm_median_s": round(statistics.median(warm), 4),
            "warm_min_s": round(min(warm), 4),
            "warm_max_s": round(max(warm), 4),
            "bytes": size,
        }
        print(f"{label:48s} cold {cold:6.3f} s  warm {statistics.median(warm):7.4f} s  {size:8d} B", file=sys.stderr)

    bare = bare_engine(args.home, env)
    print(json.dumps(bare), file=sys.stderr)
    from rekam.register.store import Store

    snap = Store(args.home).require_current()
    summary = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "home": str(args.home),
        "rows": snap.rows,
        "repeat": args.repeat,
        "pages": results,
        "bare": bare,
        "warm_during_computation": during,
        "goal_s": GOAL_S,
        "warm_goal_met": all(r["warm_median_s"] <= GOAL_S for r in results.values()),
        "cold_goal_met": all(r["cold_s"] <= GOAL_S for r in results.values()),
    }
    (HERE / "results").mkdir(exist_ok=True)
    with (HERE / "results" / "web.jsonl").open("a") as f:
        f.write(json.dumps(summary) + "\n")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
