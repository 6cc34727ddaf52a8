"""Benchmark: the dashboard's pages at Sumatera Barat scale (issue #7: a page in <= 1 s; issue
#16: each page's compressed weight, <= 100 KB for the province page with its assets).

    .venv/bin/python benchmarks/web_bench.py [--scale 1.0] [--repeat 10] [--cold-repeat 3] [--workers 2]

The REKAM_HOME (default ``benchmarks/.work/web-home-<scale>``) is made once: a copy of the
register of ``benchmarks/.work/home-<scale>`` when one is imported there (the other benchmarks'
home is never changed), otherwise ``rekam demo generate --scale <scale>`` + ``rekam import``; then
the demo's sites and desa coordinates (``rekam sites import``) and a benchmark user
(admin-provinsi of 13, a fresh random password each run, never written down).

Weight: each page is asked for as a browser does (``Accept-Encoding: gzip``), and so are the
stylesheets and scripts it loads (``<link rel=stylesheet>``, ``<script src>``); the bytes on
the wire are counted (compressed) beside the uncompressed size. The figures are written into
the "Dashboard: time and weight per page" section of ``benchmarks/README.md`` (between its
``web_bench`` markers; the rest of the file is left as it is) unless ``--no-readme``.

A real server (``rekam serve``, REKAM_ELECTION_DATE=2024-11-27) is measured over HTTP with
httpx, wall time from the request to the last byte:

- cold: the page as the FIRST request of a freshly started server (its in-memory figure cache
  is empty). The figures kept on disk (``REKAM_HOME/cache/figures``, docs/web.md) are removed
  when the run starts, so the first of the ``--cold-repeat`` servers computes them (the
  coverage of every level, the trend, the ranking, ...) and the others read what it kept: the
  median is a restart's, ``cold_runs_s[0]`` a first computation's. The operating system's file
  cache is warm, as on a running office server.
- warm: the same page again, ``--repeat`` times (median, min, max): the figures are cached.

``--workers N`` starts ``rekam serve --workers N`` (issue 21: every worker answers its first
page from the figures kept on disk); its figures go between the README's markers of that
number of workers (``web_bench:begin workers=N``), the one-worker run's stay.

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
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).parent
ROOT = HERE.parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))

from _measure import measure  # noqa: E402

README = HERE / "README.md"
BEGIN, END = "<!-- web_bench:begin -->", "<!-- web_bench:end -->"
AS_OF = "2024-11-13"
ELECTION = "2024-11-27"
USER = "bench-sumbar"
GOAL_S = 1.0
GOAL_PROVINCE_KB = 100  # the province page with its CSS and JS, compressed


def rekam(*args: str, env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "-m", "rekam", *args], env=env, check=True, capture_output=True, text=True)
    return out.stdout


def prepare(home: Path, source: Path, demo: Path, env: dict[str, str], scale: float = 1.0) -> None:
    """The benchmark home: register, sites, desa coordinates (made once, reused)."""
    env = env | {"REKAM_HOME": str(home)}
    if not (home / "CURRENT").exists():
        if (source / "CURRENT").exists():
            print(f"copying the register of {source} to {home}", file=sys.stderr)
            shutil.copytree(source, home, ignore=shutil.ignore_patterns("tmp", "ops.db*", "web-secret", "audit*"))
        else:
            if not (demo / "siak").is_dir():
                print(f"generating the scale-{scale} demo in {demo}", file=sys.stderr)
                rekam("demo", "generate", "--out", str(demo), "--scale", str(scale), env=env)
            print(f"importing {demo}/siak into {home}", file=sys.stderr)
            rekam("import", *map(str, sorted((demo / "siak").glob("*.csv"))), "--date", AS_OF, env=env)
    if not (home / "sites").is_dir():
        if not (demo / "sites").is_dir():
            raise SystemExit(f"no demo sites in {demo}: run 'rekam demo generate --out {demo} --scale {scale}'")
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

    def __init__(self, env: dict[str, str], workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "rekam", "serve", "--port", str(self.port), "--workers", str(workers)],
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


def first_at_once(clients: list[httpx.Client], path: str) -> tuple[float, int]:
    """``path`` asked by every client at the same moment (each logged in on its own connection,
    which the kernel hands to one of the workers): the slowest answer's time."""
    import threading

    times: list[tuple[float, int]] = []
    threads = [threading.Thread(target=lambda c=c: times.append(timed(c, path))) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for c in clients[1:]:
        c.close()
    if len(times) != len(clients):
        raise SystemExit(f"GET {path} failed in one of {len(clients)} clients")
    return max(times)


_ASSET = re.compile(r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="(/[^"]+)"')


def weight(c: httpx.Client, path: str) -> dict[str, int]:
    """The page and the CSS/JS it loads as a browser asks for them (gzip accepted): bytes on the
    wire (compressed) and uncompressed, for the page alone and with its assets."""
    r = c.get(path, headers={"Accept-Encoding": "gzip"})
    out = {"html_bytes": len(r.content), "html_gzip_bytes": r.num_bytes_downloaded, "assets": 0}
    out["html_compressed"] = int(r.headers.get("content-encoding") == "gzip")
    assets_raw = assets_wire = 0
    if "html" in r.headers.get("content-type", ""):
        for url in dict.fromkeys(_ASSET.findall(r.text)):
            a = c.get(url, headers={"Accept-Encoding": "gzip"})
            if a.status_code != 200:
                raise SystemExit(f"GET {url} (loaded by {path}): {a.status_code}")
            assets_raw += len(a.content)
            assets_wire += a.num_bytes_downloaded
            out["assets"] += 1
    out["assets_bytes"], out["assets_gzip_bytes"] = assets_raw, assets_wire
    out["total_gzip_bytes"] = out["html_gzip_bytes"] + assets_wire
    return out


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
    ap.add_argument("--scale", type=float, default=1.0, help="the demo register's scale (1.0: Sumatera Barat)")
    ap.add_argument("--home", type=Path, help="default benchmarks/.work/web-home-<scale>")
    ap.add_argument("--from-home", type=Path, help="an imported register to copy (default .work/home-<scale>)")
    ap.add_argument("--demo", type=Path, help="the generated demo folder, sites included (default .work/demo-<scale>)")
    ap.add_argument("--no-readme", action="store_true", help="do not write the figures into benchmarks/README.md")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--cold-repeat", type=int, default=3, help="fresh servers per page for the cold time (median)")
    ap.add_argument("--only-concurrent", action="store_true", help="only the warm-page-during-a-computation case")
    ap.add_argument("--workers", type=int, default=1, help="rekam serve --workers N (issue 21)")
    ap.add_argument("--pages", help="only the pages whose label holds one of these words (comma-separated)")
    ap.add_argument("--no-extra", action="store_true", help="neither the concurrent case nor the bare engine")
    args = ap.parse_args()
    scale = f"{args.scale:g}" if args.scale != 1 else "1.0"
    args.home = args.home or WORK / f"web-home-{scale}"
    args.from_home = args.from_home or WORK / f"home-{scale}"
    args.demo = args.demo or WORK / f"demo-{scale}"

    env = {k: v for k, v in os.environ.items() if k not in ("REKAM_DATABASE_URL",)}
    env.update(REKAM_HOME=str(args.home), REKAM_ELECTION_DATE=ELECTION, REKAM_LANG="id")
    prepare(args.home, args.from_home, args.demo, env, args.scale)
    password = bench_password(args.home)
    shutil.rmtree(args.home / "cache" / "figures", ignore_errors=True)  # the first cold run computes
    # Another user's request that computes (nothing kept on disk, so it computes every run).
    during: dict[str, float] = {}
    if not args.no_extra:
        during = concurrent(
            {**env, "REKAM_FIGURE_CACHE": "0"}, password, "/wilayah/13.71", "/wilayah/13?as_of=2024-11-06"
        )
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
        "import /impor": "/impor",
        "election day /hari-h/13": "/hari-h/13",
        "plan /rencana": "/rencana",
        "API docs /docs": "/docs",
        "API /api/v1/coverage?level=kab&region=13": "/api/v1/coverage?level=kab&region=13",
    }
    if args.pages:
        words = args.pages.split(",")
        pages = {label: path for label, path in pages.items() if any(w in label for w in words)}
    results: dict[str, dict[str, float]] = {}
    for label, path in pages.items():
        colds: list[float] = []
        warm: list[float] = []
        for _ in range(args.cold_repeat):
            server = Server(env, args.workers)
            try:
                c = client(server.url, password)
                if args.workers > 1:  # as many users as workers, at once, each on its own connection
                    cold, size = first_at_once(
                        [c] + [client(server.url, password) for _ in range(args.workers - 1)], path
                    )
                else:
                    cold, size = timed(c, path)
                colds.append(cold)
                if not warm:
                    warm = [timed(c, path)[0] for _ in range(args.repeat)]
                    wire = weight(c, path)
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
            **wire,
        }
        print(
            f"{label:48s} cold {cold:6.3f} s  warm {statistics.median(warm):7.4f} s  {size:8d} B"
            f"  gzip {wire['html_gzip_bytes']:7d} B, with assets {wire['total_gzip_bytes']:8d} B",
            file=sys.stderr,
        )

    bare = {} if args.no_extra else bare_engine(args.home, env)
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
        "scale": args.scale,
        "cold_repeat": args.cold_repeat,
        "workers": args.workers,
        "goal_s": GOAL_S,
        "goal_province_kb": GOAL_PROVINCE_KB,
        "warm_goal_met": all(r["warm_median_s"] <= GOAL_S for r in results.values()),
        "cold_goal_met": all(r["cold_s"] <= GOAL_S for r in results.values()),
        "province_weight_goal_met": "province /wilayah/13" in results
        and results["province /wilayah/13"]["total_gzip_bytes"] <= GOAL_PROVINCE_KB * 1000,
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }
    (HERE / "results").mkdir(exist_ok=True)
    with (HERE / "results" / "web.jsonl").open("a") as f:
        f.write(json.dumps(summary) + "\n")
    print(json.dumps(summary, indent=1))
    if not args.no_readme:
        write_readme(summary, args.workers)


def kb(n: float) -> str:
    return f"{n / 1000:.1f}"


def markers(workers: int) -> tuple[str, str]:
    """The README's markers of a run with ``workers`` server processes."""
    if workers == 1:
        return BEGIN, END
    return BEGIN.replace("begin", f"begin workers={workers}"), END.replace("end", f"end workers={workers}")


def section(summary: dict[str, Any]) -> str:
    """The README's figures of one run: a table per page and the goals."""
    pages: dict[str, dict[str, Any]] = summary["pages"]
    begin, end = markers(summary.get("workers", 1))
    lines = [
        begin,
        f"### {summary['date']}, scale {summary['scale']:g} ({summary['rows']:,} register rows), "
        f"`--repeat {summary['repeat']} --cold-repeat {summary['cold_repeat']}"
        + (f" --workers {summary['workers']}`, " if summary.get("workers", 1) > 1 else "`, ")
        + f"load average at the end {summary['load_average'][0]} on 2 cores",
        "",
        "| page | first after a restart, s (median) | warm s, median (max) | HTML KB | HTML gzip KB | "
        "with its CSS/JS, gzip KB |",
        "|---|---|---|---|---|---|",
    ]
    for label, r in pages.items():
        gz = kb(r["html_gzip_bytes"])
        if not r["html_compressed"]:
            gz += " (under 1 KB: sent as is)" if r["html_bytes"] < 1000 else " (**not compressed**)"
        lines.append(
            f"| {label} | {r['cold_s']:.3f} | {r['warm_median_s']:.4f} ({r['warm_max_s']:.3f}) | "
            f"{kb(r['html_bytes'])} | {gz} | {kb(r['total_gzip_bytes'])} ({r['assets']} files) |"
        )
    province = pages["province /wilayah/13"]
    worst_cold = max(pages.items(), key=lambda kv: kv[1]["cold_s"])
    worst_warm = max(pages.items(), key=lambda kv: kv[1]["warm_median_s"])

    def met(ok: bool) -> str:
        return "met" if ok else "**missed**"

    lines += [
        "",
        "| goal | measured | |",
        "|---|---|---|",
        f"| every page <= 1 s, warm | slowest: {worst_warm[0]} {worst_warm[1]['warm_median_s']:.3f} s | "
        f"{met(summary['warm_goal_met'])} |",
        f"| every page <= 1 s, first request after a restart | slowest: {worst_cold[0]} "
        f"{worst_cold[1]['cold_s']:.3f} s | {met(summary['cold_goal_met'])} |",
        f"| province page with its assets <= {GOAL_PROVINCE_KB} KB compressed | "
        f"{kb(province['total_gzip_bytes'])} KB (HTML {kb(province['html_gzip_bytes'])} KB + "
        f"{province['assets']} files {kb(province['assets_gzip_bytes'])} KB) | "
        f"{met(summary['province_weight_goal_met'])} |",
        "",
        "(Written by `benchmarks/web_bench.py`; every run is kept in `benchmarks/results/web.jsonl`.)",
        end,
    ]
    return "\n".join(lines)


def write_readme(summary: dict[str, Any], workers: int = 1) -> None:
    """Replace the figures between the markers of README.md (the section's text around them is
    kept); the markers are added at the end of the file when missing."""
    text = README.read_text()
    block = section(summary)
    begin, end = markers(workers)
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(text)
    print(f"figures written into {README}", file=sys.stderr)


if __name__ == "__main__":
    main()
