"""rekam's exception tree. Every front door translates these in one place.

    RekamError                  any error rekam raises on purpose
    ├── EngineError             an analytics query failed in its engine (names the query, never the data)
    └── RekamUserError          the user can fix it; shown without traceback, exit 1
        ├── IngestError         a file cannot be read as a register or site file (names the file)
        ├── NothingAccepted     an import in which no row was accepted
        ├── StaleImport         an import older than the data it would replace
        ├── ImportTooLarge      the import needs more memory than REKAM_MEMORY_LIMIT
        ├── SnapshotError       no snapshot, or no previous one to roll back to
        ├── UnknownRegion       a region code that is not in the data or gazetteer
        ├── EngineUnavailable   an analytics engine that is unknown or not installed
        ├── VerificationFailed  a returned workbook with problems (each named); nothing applied
        ├── PlanningDataMissing no imported sites, coordinates or people to make a scenario from
        ├── InvalidArgument     an option value that cannot be used
        ├── OpsUnavailable      the ops database cannot be opened (REKAM_DATABASE_URL)
        ├── OpsNotFound         a user, service point or ticket that does not exist
        ├── OpsInvalid          an ops request with a bad value; nothing changed
        ├── OpsRefused          a service the rules refuse (``reason``: not printable, no blanko ...)
        ├── ConfirmationNeeded  a perekaman that would make a DUPLICATE_RECORD, not yet confirmed
        ├── IdempotencyConflict an idempotency key reused with a different request (HTTP 409)
        ├── PermissionDenied    outside the user's role and region, or a disabled user
        └── LoginThrottled      too many failed logins for the name or the address (HTTP 429)

Messages never contain personal data (NIK, names, addresses): they name files, rows,
columns and codes only. The text comes from ``rekam.messages`` in the user's language.
"""

from __future__ import annotations

from typing import Any


class RekamError(Exception):
    """Base of every error rekam raises on purpose."""


class EngineError(RekamError):
    """A query that failed in an analytics engine (DuckDB, Spark): a bug or a broken
    installation, not the user's to fix. The message names the engine and the query (its
    name, or the first line of its SQL), never the data or parameters; the engine's own
    error is the ``__cause__``."""

    def __init__(self, engine: str, query: str, cause: BaseException) -> None:
        self.engine = engine
        self.query = query
        super().__init__(f"{engine} query failed ({type(cause).__name__}): {query}")


class RekamUserError(RekamError):
    """An error the user can fix; its message is shown as is, with no traceback."""

    exit_code = 1

    def __init__(self, key: str, **params: Any) -> None:
        from rekam.messages import text

        self.key = key
        self.params = params
        super().__init__(text(key, **params))


class IngestError(RekamUserError):
    """A file that cannot be read as a register."""


class NothingAccepted(RekamUserError):
    """An import in which no row was accepted; nothing was replaced."""

    def __init__(self, key: str, result: Any = None, **params: Any) -> None:
        self.result = result
        super().__init__(key, **params)


class StaleImport(RekamUserError):
    """An import older than the current data of a kab/kota it contains."""


class ImportTooLarge(RekamUserError):
    """The import needs more memory than it may use; nothing was changed."""


class SnapshotError(RekamUserError):
    """No snapshot, or none to roll back to."""


class UnknownRegion(RekamUserError):
    """A region code that is not known."""


class EngineUnavailable(RekamUserError):
    """An analytics engine that is unknown or not installed."""


class VerificationFailed(RekamUserError):
    """A returned workbook with problems; ``problems`` holds one message per problem."""

    def __init__(self, key: str, problems: list[str], **params: Any) -> None:
        self.problems = problems
        super().__init__(key, count=len(problems), **params)

    def __str__(self) -> str:
        return "\n".join([super().__str__(), *self.problems])


class InvalidArgument(RekamUserError):
    """An option value that cannot be used."""


class PlanningDataMissing(RekamUserError):
    """What ``rekam plan make`` needs is missing: imported sites, coordinates, or anyone to visit."""


class ScenarioError(RekamUserError):
    """A planning scenario that cannot be used; the message names the JSON path."""


class PlanInfeasible(RekamUserError):
    """A plan that breaks the scenario's rules; ``problems`` holds one line per violation."""

    def __init__(self, key: str, problems: list[str], **params: Any) -> None:
        self.problems = problems
        super().__init__(key, count=len(problems), **params)

    def __str__(self) -> str:
        return "\n".join([super().__str__(), *self.problems[:50]])


class OpsUnavailable(RekamUserError):
    """The ops database cannot be opened (bad REKAM_DATABASE_URL, server not answering)."""


class OpsNotFound(RekamUserError):
    """A user, service point, ticket or event that does not exist (or is outside the caller's scope)."""


class OpsInvalid(RekamUserError):
    """An ops request with a bad value (role, region, kind, quantity, NIK ...); nothing changed."""


class OpsRefused(RekamUserError):
    """A service the rules refuse (a print for someone not printable, no blanko left ...);
    ``reason`` is the message key, so a front end can offer the alternative (surat keterangan)."""

    @property
    def reason(self) -> str:
        return self.key


class ConfirmationNeeded(RekamUserError):
    """A service that needs the operator's confirmation first (a perekaman for someone
    already recorded would make a DUPLICATE_RECORD); nothing was stored."""


class IdempotencyConflict(RekamUserError):
    """An idempotency key already used at this service point with a different request body."""


class PermissionDenied(RekamUserError):
    """The user may not read or write this region or service point, or is disabled."""


class NotAuthenticated(RekamUserError):
    """A web request without a valid login (no token, a bad or expired one, a disabled user)."""


class LoginThrottled(RekamUserError):
    """Too many failed logins for this user name or client address within the window; refused
    (even with the right password) until ``params["minutes"]`` have passed."""
