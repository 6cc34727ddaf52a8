"""An import's clean-up of REKAM_HOME/tmp: killed imports' and matches' folders go, a running
match's spill folder stays (issue 23)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rekam.register.store import Store


def test_clean_up_keeps_only_the_spill_folder_of_a_running_match(tmp_path: Path) -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])  # a process that has ended
    ended.wait()
    tmp = tmp_path / "tmp"
    folders = {
        "killed import": tmp / "20241101T000000-1-abc",
        "running match": tmp / f"match-{os.getpid()}-0a1b2c3d",
        "killed match": tmp / f"match-{ended.pid}-4e5f6a7b",
        "not a match": tmp / "match-x-1",
    }
    for folder in folders.values():
        folder.mkdir(parents=True)
        (folder / "spill.tmp").write_bytes(b"x")
    Store(tmp_path).clean_abandoned()
    assert {k for k, f in folders.items() if f.exists()} == {"running match"}
