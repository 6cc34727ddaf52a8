"""Settings read from the environment, in one place: REKAM_HOME, REKAM_ENGINE, REKAM_DATABASE_URL,
REKAM_COOKIE_SECURE, REKAM_ORIGINS, REKAM_LOGIN_LIMITS."""

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
    login_limits: tuple[int, int, int] = (5, 20, 15)  # REKAM_LOGIN_LIMITS: failures per name, per address, minutes

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            home=Path(env.get("REKAM_HOME", "rekam-data")),
            engine=env.get("REKAM_ENGINE", "duckdb"),
            database_url=env.get("REKAM_DATABASE_URL", "").strip() or None,
            cookie_secure=env.get("REKAM_COOKIE_SECURE", "").strip().lower() in ("1", "true", "yes", "on"),
            origins=tuple(o.strip().rstrip("/").lower() for o in env.get("REKAM_ORIGINS", "").split(",") if o.strip()),
            login_limits=_limits(env.get("REKAM_LOGIN_LIMITS", "").strip()),
        )


def _limits(value: str) -> tuple[int, int, int]:
    """``REKAM_LOGIN_LIMITS=5,20,15``: failed logins per user name, per client address, and the window in minutes."""
    if not value:
        return (5, 20, 15)
    parts = value.replace(" ", "").split(",")
    if len(parts) != 3 or not all(p.isdigit() and int(p) > 0 for p in parts):
        from rekam.errors import InvalidArgument

        raise InvalidArgument("bad_option", option="REKAM_LOGIN_LIMITS", value=value, hint="5,20,15")
    return (int(parts[0]), int(parts[1]), int(parts[2]))
