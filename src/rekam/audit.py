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


def record(home: Path, action: str, as_user: str | None = None, **details: Any) -> None:
    """Append one entry; ``as_user``: the rekam user acting (e.g. ``rekam import --user``), else
    the machine's user. The file is 0600 in a 0700 REKAM_HOME."""
    from rekam.files import private_dir

    private_dir(home)
    who = {"user": as_user, "os_user": current_user()} if as_user else {"user": current_user()}
    entry = {"time": datetime.now().astimezone().isoformat(timespec="seconds"), **who, "action": action, **details}
    fd = os.open(home / "audit.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with open(fd, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        f.flush()
        os.fsync(f.fileno())


def entries(home: Path) -> list[dict[str, Any]]:
    path = home / "audit.log"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
