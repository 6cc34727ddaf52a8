"""The audit log of by-name access: who asked for which list of which region, masked or not.

Until the ops database exists (service-desk issue) the log is a JSON-lines file in
REKAM_HOME (``audit.log``), appended and flushed to disk before the list is written. It holds
no personal data: user, time, list, region, number of people, masked or not.
"""

from __future__ import annotations

import getpass
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid:{os.getuid()}"


def record(home: Path, action: str, **details: Any) -> None:
    home.mkdir(parents=True, exist_ok=True)
    entry = {"time": datetime.now().astimezone().isoformat(timespec="seconds"), "user": current_user(),
             "action": action, **details}  # fmt: skip
    with (home / "audit.log").open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        f.flush()
        os.fsync(f.fileno())


def entries(home: Path) -> list[dict[str, Any]]:
    path = home / "audit.log"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
