"""Settings read from the environment, in one place: REKAM_HOME, REKAM_ENGINE, REKAM_DATABASE_URL."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    home: Path
    engine: str = "duckdb"
    database_url: str | None = None  # the ops database; None: SQLite ops.db in home

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            home=Path(env.get("REKAM_HOME", "rekam-data")),
            engine=env.get("REKAM_ENGINE", "duckdb"),
            database_url=env.get("REKAM_DATABASE_URL", "").strip() or None,
        )
