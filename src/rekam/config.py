"""Settings read from the environment, in one place: REKAM_HOME, REKAM_ENGINE, REKAM_DATABASE_URL,
REKAM_RETENTION_DAYS."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    home: Path
    engine: str = "duckdb"
    database_url: str | None = None  # the ops database; None: SQLite ops.db in home
    retention_days: int = 30  # by-name and quarantine files kept this long (rekam purge, retention.py)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            home=Path(env.get("REKAM_HOME", "rekam-data")),
            engine=env.get("REKAM_ENGINE", "duckdb"),
            database_url=env.get("REKAM_DATABASE_URL", "").strip() or None,
            retention_days=_retention_days(env.get("REKAM_RETENTION_DAYS", "").strip()),
        )


def _retention_days(value: str) -> int:
    if not value:
        return 30
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        from rekam.errors import InvalidArgument

        raise InvalidArgument("retention_bad_env", value=value[:20])
    return int(value)
