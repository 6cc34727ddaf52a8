"""Settings read from the environment, in one place: REKAM_HOME, REKAM_ENGINE, REKAM_DATABASE_URL,
REKAM_COOKIE_SECURE, REKAM_ORIGINS."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    home: Path
    engine: str = "duckdb"
    database_url: str | None = None  # the ops database; None: SQLite ops.db in home
    cookie_secure: bool = False  # REKAM_COOKIE_SECURE=1: cookies only over HTTPS (behind TLS)
    origins: tuple[str, ...] = ()  # REKAM_ORIGINS: more origins a browser may post from (a proxy that rewrites Host)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            home=Path(env.get("REKAM_HOME", "rekam-data")),
            engine=env.get("REKAM_ENGINE", "duckdb"),
            database_url=env.get("REKAM_DATABASE_URL", "").strip() or None,
            cookie_secure=env.get("REKAM_COOKIE_SECURE", "").strip().lower() in ("1", "true", "yes", "on"),
            origins=tuple(o.strip().rstrip("/").lower() for o in env.get("REKAM_ORIGINS", "").split(",") if o.strip()),
        )
