"""Benchmark: the counter's first search after a start (issue 17: <= 0.3 s at scale 1.0).

    .venv/bin/python benchmarks/counter_bench.py --home HOME [--data DATA] [--starts 3]

HOME is a REKAM_HOME with an imported register (scale 1.0: ``rekam demo generate --scale 1.0
--out DATA`` and ``rekam import DATA/siak/*.csv``); DATA (optional) is that export, for the
"without rekam" comparison. The benchmark writes only under ``benchmarks/.work/counter`` (its
ops database, a service point and an operator with a fresh random password) and, in case B,
rewrites HOME's NIK-sorted copy (``index/<snapshot>-nik2.parquet``) the way the server does.

A real server (``python -m rekam serve``) is started ``--starts`` times per case; as soon as it
answers, the operator logs in (``POST /login``) and searches at once (``GET /loket/cari``, the
htmx request the page sends on Enter): the first search's wall time, then the next five.

- A, restart: the NIK-sorted copy exists (written at import), as after any restart.
- B, first start after an import by an older rekam: the copy is removed before the start, so
  the server's warm-up (or the search) writes it.
- C, as before this issue: A's home, but the server made without its warm-up
  (``create_app(warm=False)`` under uvicorn): what the first search cost then.

Beside them, in the same run: the bare engine, DuckDB in a fresh process reading the snapshot's
Parquet parts for one NIK (no sorted copy); and what an operator would otherwise do, search the
SIAK export's CSV files for the NIK (``grep -F``). Results go to benchmarks/results/counter.jsonl
and are quoted in benchmarks/README.md.
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
from datetime import UTC, datetime
from pathlib import Path

import httpx

HERE = Path(__file__).parent
ROOT = HERE.parent
WORK = HERE / ".work" / "counter"
PY = sys.executable
POINT = "SP-BENCH"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        REKAM_HOME=str(home),
        REKAM_DATABASE_URL=f"sqlite:///{WORK / 'ops.db'}",
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


def setup(home: Path) -> tuple[str, str, str]:
    """A fresh ops database with one point of Kota Padang and its operator; two NIKs to find."""
    import duckdb

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    password = secrets.token_urlsafe(12)
    script = (
        "from rekam.api import Rekam; from rekam.config import Settings; "
        "r = Rekam(Settings.from_env()); "
        f"r.add_service_point('{POINT}', 'Loket uji', '13.71', 'dinas'); "
        f"r.add_user('operator-bench', '{password}', 'operator', None, '{POINT}')"
    )
    subprocess.run([PY, "-c", script], env=env_for(home), check=True)
    con = duckdb.connect()
    files = sorted(str(p) for p in (home / "parts").rglob("*.parquet"))
    niks = [
        r[0]
        for r in con.execute(
            "SELECT nik FROM read_parquet(?) WHERE desa_code LIKE '13.71.%' LIMIT 2 OFFSET 5000", [files]
        ).fetchall()
    ]
    return password, niks[0], niks[1]


def serve(home: Path, port: int, warm: bool) -> subprocess.Popen[bytes]:
    if warm:
        cmd = [PY, "-m", "rekam", "serve", "--port", str(port)]
    else:
        cmd = [
            PY,
            "-m",
            "uvicorn",
            "--factory",
            "rekam.web.app:create_app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ]
    return subprocess.Popen(cmd, env=env_for(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def first_searches(home: Path, warm: bool, password: str, niks: tuple[str, str]) -> dict[str, float]:
    port = free_port()
    proc = serve(home, port, warm)
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            while True:
                try:
                    if client.get("/login").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            ready = time.perf_counter() - started
            r = client.post("/login", data={"username": "operator-bench", "password": password})
            assert r.status_code in (200, 303), r.text
            times = []
            for i in range(6):
                t0 = time.perf_counter()
                r = client.get("/loket/cari", params={"sp": POINT, "nik": niks[i % 2]}, headers={"HX-Request": "true"})
                times.append(time.perf_counter() - t0)
                assert r.status_code == 200 and 'class="card resident"' in r.text, r.text[:300]
            return {
                "ready_s": round(ready, 3),
                "first_s": round(times[0], 4),
                "next_median_s": round(statistics.median(times[1:]), 4),
            }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def bare_engine(home: Path, nik: str) -> float:
    code = (
        "import duckdb, sys, time; from pathlib import Path; t = time.perf_counter(); "
        f"files = sorted(str(p) for p in Path('{home}/parts').rglob('*.parquet')); "
        f"duckdb.connect().execute('SELECT nik, name, ktp_status FROM read_parquet(?) WHERE nik = ?', [files, '{nik}']).fetchall(); "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True)
    return round(float(out.stdout.strip()), 3)


def grep_export(data: Path, nik: str) -> float:
    t0 = time.perf_counter()
    subprocess.run(["grep", "-F", "-l", nik, *map(str, sorted((data / "siak").glob("*.csv")))], capture_output=True)
    return round(time.perf_counter() - t0, 3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "counter.jsonl")
    args = parser.parse_args()
    home = args.home.absolute()
    password, *pair = setup(home)
    niks = (pair[0], pair[1])
    snap = (home / "CURRENT").read_text().strip()
    index = home / "index" / f"{snap}-nik2.parquet"
    result: dict[str, object] = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "home": str(home)}
    for case, warm, drop in (
        ("A_restart", True, False),
        ("B_index_missing", True, True),
        ("C_no_warm_up", False, False),
    ):
        runs = []
        for _ in range(args.starts):
            if drop:
                index.unlink(missing_ok=True)
            runs.append(first_searches(home, warm, password, niks))
        result[case] = {
            "first_s": [r["first_s"] for r in runs],
            "first_median_s": statistics.median(r["first_s"] for r in runs),
            "ready_median_s": statistics.median(r["ready_s"] for r in runs),
            "next_median_s": statistics.median(r["next_median_s"] for r in runs),
        }
        print(case, json.dumps(result[case]))
    result["bare_duckdb_parts_s"] = bare_engine(home, niks[0])
    if args.data:
        result["grep_export_s"] = grep_export(args.data, niks[0])
    print(json.dumps(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a") as f:
        f.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
