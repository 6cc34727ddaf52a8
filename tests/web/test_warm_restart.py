"""Warm after a restart (issue 21, "Must show"): a real ``rekam serve`` killed (SIGKILL, as a
crash or a reboot would) and started again serves the province page from the figures the first
process kept on disk, without a pass over the register; a new import (``rekam import``, another
date) is a new snapshot whose figures are not those kept, and are computed anew.

The proof that no pass happened: the restarted server runs with ``REKAM_ENGINE=nosuch``, an
engine rekam does not have. Every pass over the register (coverage, ranking, progress, quality,
IKD) opens an engine, and opening that one fails, so any part of the page that needed a pass
would make the page fail; the page is instead the same, byte for byte, as the first server's.
Chosen over a counter or a debug log line because it needs no hook in the product and cannot
miss a pass made by a path nobody thought to count."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.web.server import Server
from tests.web.test_figure_disk_cache import _figures, _page

ELECTION = "2024-11-27"


@pytest.mark.slow
def test_a_killed_server_restarts_warm_and_a_new_import_is_computed_anew(
    web_home: Path, demo_data: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(web_home, home, ignore=shutil.ignore_patterns("cache"))
    env = {k: v for k, v in os.environ.items() if k not in ("REKAM_DATABASE_URL", "REKAM_LANG", "REKAM_FIGURE_CACHE")}
    env.update(REKAM_HOME=str(home), REKAM_ELECTION_DATE=ELECTION)
    server = Server(env, tmp_path / "serve.log", deadline_s=60, ready_path="/login")

    server.start()  # its warm-up computes and keeps the province's figures; the page waits for them or computes
    first = _page(server.url, "/wilayah/13")
    server.kill9()
    before = _figures(first)
    assert "Peringkat" in first.text or "peringkat" in first.text  # the ranking is on the page
    assert "<svg" in first.text  # and the trend chart

    server.env = {**env, "REKAM_ENGINE": "nosuch"}  # this server cannot pass over the register
    server.start()
    again = _page(server.url, "/wilayah/13")
    other_day = _page(server.url, "/wilayah/13?as_of=2024-11-20")  # never computed: needs a pass
    server.kill9()
    assert again.status_code == 200
    assert again.text == first.text  # every part of the page, from what the first server kept
    assert other_day.status_code != 200  # so the engine really is unusable here

    files = sorted((demo_data / "siak").glob("*.csv"))
    imported = subprocess.run(
        [sys.executable, "-m", "rekam", "import", *map(str, files), "--date", "2025-06-30"],
        env={**env, "REKAM_ENGINE": "duckdb"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert imported.returncode == 0, imported.stdout[-2000:] + imported.stderr[-2000:]

    server.start()  # still without an engine: the new snapshot's figures were never kept
    stale = _page(server.url, "/wilayah/13")
    server.kill9()
    assert stale.status_code != 200, "the kept figures of the old snapshot were served for the new one"

    server.env = env
    server.start()
    fresh = _page(server.url, "/wilayah/13")
    server.stop()
    after = _figures(fresh)
    assert "30-06-2025" in fresh.text  # the new snapshot's date
    assert after != before  # as of seven months later: others became wajib
