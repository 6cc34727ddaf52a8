"""Settings read from the environment, in one place: REKAM_HOME, REKAM_ENGINE, REKAM_SPARK_MASTER, REKAM_DATABASE_URL,
REKAM_LANG, REKAM_ELECTION_DATE, REKAM_RETENTION_DAYS, REKAM_COOKIE_SECURE, REKAM_ORIGINS, REKAM_LOGIN_LIMITS
and the import limits (REKAM_UPLOAD_MAX_MB, REKAM_IMPORT_MAX_ROWS, REKAM_IMPORT_MAX_MEMORY_MB, REKAM_MEMORY_LIMIT,
REKAM_XLSX_MAX_MB, REKAM_XLSX_MAX_RATIO), the web server's limits (REKAM_BODY_MAX_KB, REKAM_EXPENSIVE_PER_MINUTE,
REKAM_EXPENSIVE_AT_ONCE, REKAM_DESK_AT_ONCE), REKAM_FIGURE_CACHE, REKAM_LIVE_REFRESH_SECONDS and REKAM_RANK_IKD_WEIGHT.

No other module of rekam reads ``os.environ``: the CLI and the web app each call ``Settings.from_env()``
once and hand the settings down (``rekam.api.Rekam(settings)``); a test says so."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    home: Path
    engine: str = "duckdb"
    spark_master: str = "local[2]"  # REKAM_SPARK_MASTER: where the Spark engine runs (a cluster's master URL)
    database_url: str | None = None  # the ops database; None: SQLite ops.db in home
    cookie_secure: bool = False  # REKAM_COOKIE_SECURE=1: cookies only over HTTPS (behind TLS)
    origins: tuple[str, ...] = ()  # REKAM_ORIGINS: more origins a browser may post from (a proxy that rewrites Host)
    login_limits: tuple[int, int, int] = (5, 20, 15)  # REKAM_LOGIN_LIMITS: failures per name, per address, minutes
    retention_days: int = 30  # by-name and quarantine files kept this long (rekam purge, retention.py)
    # imports from the web page (docs/import.md, "Limits"); xlsx checks apply to every import
    upload_max_mb: int = 2048  # REKAM_UPLOAD_MAX_MB: bytes of one upload (all its files)
    import_max_rows: int = 10_000_000  # REKAM_IMPORT_MAX_ROWS: rows of one web import
    import_max_memory_mb: int = 6144  # REKAM_IMPORT_MAX_MEMORY_MB: address space of the web import's process
    xlsx_max_mb: int = 4096  # REKAM_XLSX_MAX_MB: uncompressed size of an xlsx file's parts
    xlsx_max_ratio: int = 200  # REKAM_XLSX_MAX_RATIO: uncompressed / compressed size of one xlsx part
    # the web server's own protection (web/limits.py, docs/security.md "Limits of the web server")
    body_max_kb: int = 1024  # REKAM_BODY_MAX_KB: bytes of a request body (every route but the import upload)
    expensive_per_minute: int = 20  # REKAM_EXPENSIVE_PER_MINUTE: requests computing new figures, per user and minute
    expensive_at_once: int = 2  # REKAM_EXPENSIVE_AT_ONCE: requests computing new figures at once, per process
    desk_at_once: int = 4  # REKAM_DESK_AT_ONCE: services (POST /api/v1/layanan) logged at once, per process
    # REKAM_MEMORY_LIMIT: DuckDB's memory during an import or a list match (None: 1500MB each); it spills beyond
    memory_limit: str | None = None
    lang: str = "id"  # REKAM_LANG: the language of messages, "id" or "en" (a web request may choose its own)
    election_date: date | None = None  # REKAM_ELECTION_DATE: the web pages' election day (pemula, akan wajib)
    figure_cache: bool = True  # REKAM_FIGURE_CACHE=0: the dashboard's figures not kept on disk (web/kept.py)
    # REKAM_LIVE_REFRESH_SECONDS: the live figures are recomputed for the desks' new services at
    # most once in this many seconds per page kind, and by one worker (web/figures.py)
    live_refresh_seconds: int = 30
    # REKAM_RANK_IKD_WEIGHT: the IKD component's weight in the ranking, 0 to 0.5 (the province's
    # choice; 0: IKD shown, not counted); --ikd-weight and the API's ikd_weight override it
    rank_ikd_weight: Decimal = Decimal(0)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            home=Path(env.get("REKAM_HOME", "rekam-data")),
            engine=env.get("REKAM_ENGINE", "duckdb"),
            spark_master=env.get("REKAM_SPARK_MASTER", "").strip() or "local[2]",
            database_url=env.get("REKAM_DATABASE_URL", "").strip() or None,
            cookie_secure=env.get("REKAM_COOKIE_SECURE", "").strip().lower() in ("1", "true", "yes", "on"),
            origins=tuple(o.strip().rstrip("/").lower() for o in env.get("REKAM_ORIGINS", "").split(",") if o.strip()),
            login_limits=_limits(env.get("REKAM_LOGIN_LIMITS", "").strip()),
            retention_days=_int(env, "REKAM_RETENTION_DAYS", cls.retention_days),
            upload_max_mb=_int(env, "REKAM_UPLOAD_MAX_MB", cls.upload_max_mb),
            import_max_rows=_int(env, "REKAM_IMPORT_MAX_ROWS", cls.import_max_rows),
            import_max_memory_mb=_int(env, "REKAM_IMPORT_MAX_MEMORY_MB", cls.import_max_memory_mb),
            xlsx_max_mb=_int(env, "REKAM_XLSX_MAX_MB", cls.xlsx_max_mb),
            xlsx_max_ratio=_int(env, "REKAM_XLSX_MAX_RATIO", cls.xlsx_max_ratio),
            body_max_kb=_int(env, "REKAM_BODY_MAX_KB", cls.body_max_kb),
            expensive_per_minute=_int(env, "REKAM_EXPENSIVE_PER_MINUTE", cls.expensive_per_minute),
            expensive_at_once=_int(env, "REKAM_EXPENSIVE_AT_ONCE", cls.expensive_at_once),
            desk_at_once=_int(env, "REKAM_DESK_AT_ONCE", cls.desk_at_once),
            memory_limit=env.get("REKAM_MEMORY_LIMIT", "").strip() or None,
            lang="en" if env.get("REKAM_LANG", "id").lower().startswith("en") else "id",
            election_date=_date(env, "REKAM_ELECTION_DATE"),
            figure_cache=env.get("REKAM_FIGURE_CACHE", "").strip().lower() not in ("0", "false", "no", "off"),
            rank_ikd_weight=_ikd_weight(env.get("REKAM_RANK_IKD_WEIGHT", "").strip()),
            live_refresh_seconds=_int(env, "REKAM_LIVE_REFRESH_SECONDS", cls.live_refresh_seconds),
        )


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of 1 or more from the environment; the default when unset. Anything
    else is refused with a message naming the variable (not silently replaced)."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        from rekam.errors import InvalidArgument

        raise InvalidArgument("env_bad_number", name=name, value=raw[:20])
    return int(raw)


def _date(env: Mapping[str, str], name: str) -> date | None:
    """A date (YYYY-MM-DD) from the environment; None when unset."""
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        from rekam.errors import InvalidArgument

        raise InvalidArgument("bad_date", option=name, value=raw[:20]) from None


def _ikd_weight(raw: str) -> Decimal:
    """``REKAM_RANK_IKD_WEIGHT=0.1``: the ranking's IKD weight (0 when unset); a bad one is refused
    with a message naming the variable (not silently replaced by 0)."""
    if not raw:
        return Decimal(0)
    from rekam.domain.weights import ikd_weight_of

    weight = ikd_weight_of(raw)
    if weight is None:
        from rekam.errors import InvalidArgument
        from rekam.messages import text

        raise InvalidArgument(
            "bad_option", option="REKAM_RANK_IKD_WEIGHT", value=raw[:20], hint=text("hint_ikd_weight")
        )
    return weight


def _limits(value: str) -> tuple[int, int, int]:
    """``REKAM_LOGIN_LIMITS=5,20,15``: failed logins per user name, per client address, and the window in minutes."""
    if not value:
        return (5, 20, 15)
    parts = value.replace(" ", "").split(",")
    if len(parts) != 3 or not all(p.isdigit() and int(p) > 0 for p in parts):
        from rekam.errors import InvalidArgument

        raise InvalidArgument("bad_option", option="REKAM_LOGIN_LIMITS", value=value, hint="5,20,15")
    return (int(parts[0]), int(parts[1]), int(parts[2]))


def java_home() -> str | None:
    """JAVA_HOME, where Spark finds Java when ``java`` is not on the PATH (``engines.spark_session``)."""
    return os.environ.get("JAVA_HOME") or None


def default_pyspark_python(python: str) -> None:
    """PYSPARK_PYTHON set to ``python`` when unset: Spark's Python workers (matching's
    Jaro-Winkler on Spark) then run the driver's Python; pyspark reads only the variable, and a
    cluster whose nodes keep Python elsewhere sets it."""
    os.environ.setdefault("PYSPARK_PYTHON", python)
