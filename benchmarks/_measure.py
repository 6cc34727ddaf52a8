"""Run a command in a fresh process; report wall time and peak RSS of its process tree."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import psutil


def measure(cmd: list[str], env: dict[str, str] | None = None, interval: float = 0.05) -> dict[str, float | str]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            rss = ps.memory_info().rss + sum(c.memory_info().rss for c in ps.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(interval)
    wall = time.perf_counter() - start
    out, err = proc.communicate()
    if proc.returncode != 0:
        sys.stderr.write(err)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return {"wall_s": round(wall, 2), "peak_rss_mb": round(peak / 2**20), "stdout": out.strip()}


def print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
