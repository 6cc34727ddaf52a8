"""rekam's exception tree, grouped by what a caller catches. Every front door translates
these in one place (``cli.main``: one line on stderr and exit 1; ``web/app.py``: an HTTP
status from ``STATUS`` and ``{"detail": ...}``).

    RekamError                      any error rekam raises on purpose
    ├── EngineError                 an analytics query failed in its engine (names the query, never the data)
    └── RekamUserError              the user can fix it; shown without traceback, exit 1
        ├── InputError              what was given cannot be used: fix the file, row, option or plan
        │   ├── IngestError         a file that cannot be read as a register, site or list file (names it)
        │   ├── NothingAccepted     an import in which no row was accepted; nothing replaced
        │   ├── ImportTooLarge      an import or upload beyond its memory, row or size limit
        │   │   └── TooLarge        a request body or upload beyond its byte limit (HTTP 413); nothing kept
        │   ├── VerificationFailed  a returned workbook with problems (each named); nothing applied
        │   ├── ScenarioError       a planning scenario that cannot be used (names the JSON path)
        │   ├── PlanInfeasible      a plan that breaks its scenario's rules (one line per violation)
        │   ├── InvalidArgument     an option or setting value that cannot be used
        │   │   └── InvalidOptions  every bad option of one request at once (``problems``)
        │   └── OpsInvalid          an ops request with a bad value (role, kind, quantity, NIK ...)
        ├── NotFound                what was asked for does not exist (yet)
        │   ├── UnknownRegion       a region code that is not in the data or gazetteer
        │   ├── SnapshotError       no snapshot, or no previous one to roll back to
        │   ├── OpsNotFound         a user, service point or ticket that does not exist
        │   └── PlanningDataMissing no imported sites, coordinates or people to make a scenario from
        ├── AccessError             who asks may not do it
        │   ├── NotAuthenticated    no valid login (HTTP 401)
        │   │   └── DeviceRevoked   a field device an admin revoked: it syncs nothing (HTTP 401, code device_revoked)
        │   ├── LoginThrottled      too many failed logins for the name or the address (HTTP 429)
        │   ├── ComputeThrottled    too many new figures asked for by one user in a minute (HTTP 429)
        │   └── PermissionDenied    outside the user's role and region, or a disabled user (HTTP 403)
        ├── Refused                 the rules refuse the request as it stands; nothing changed
        │   ├── StaleImport         an import older than the data it would replace (--force)
        │   ├── ImportShrinks       an import that would cut a kab/kota's rows by more than the limit (--force)
        │   ├── ConfirmationNeeded  a perekaman that would make a DUPLICATE_RECORD, not yet confirmed
        │   ├── IdempotencyConflict an idempotency key reused with a different request (HTTP 409)
        │   └── OpsRefused          a service the rules refuse (``reason``: not printable, no blanko ...)
        └── Unavailable             something rekam needs cannot be used on this machine
            ├── EngineUnavailable   an analytics engine that is unknown or not installed
            ├── OpsUnavailable      the ops database cannot be opened (REKAM_DATABASE_URL)
            └── ServerBusy          every slot for a new computation is taken: retry (HTTP 503)

Catch a group to handle all its kinds (``except NotFound``), a leaf for one. A test
(tests/unit/test_errors.py) checks that this tree is the classes' own.

Messages never contain personal data (NIK, names, addresses): they name files, rows,
columns and codes only. The text comes from ``rekam.messages`` in the user's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = [
    "RekamError",
    "EngineError",
    "RekamUserError",
    "InputError",
    "IngestError",
    "NothingAccepted",
    "ImportTooLarge",
    "TooLarge",
    "VerificationFailed",
    "ScenarioError",
    "PlanInfeasible",
    "InvalidArgument",
    "InvalidOptions",
    "OpsInvalid",
    "NotFound",
    "UnknownRegion",
    "SnapshotError",
    "OpsNotFound",
    "PlanningDataMissing",
    "AccessError",
    "NotAuthenticated",
    "DeviceRevoked",
    "LoginThrottled",
    "ComputeThrottled",
    "PermissionDenied",
    "Refused",
    "StaleImport",
    "ImportShrinks",
    "ConfirmationNeeded",
    "IdempotencyConflict",
    "OpsRefused",
    "Unavailable",
    "EngineUnavailable",
    "OpsUnavailable",
    "ServerBusy",
]


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


class InputError(RekamUserError):
    """What was given cannot be used (a file, a row, an option, a scenario or plan): fix the input."""


class IngestError(InputError):
    """A file that cannot be read as a register."""


class NothingAccepted(InputError):
    """An import in which no row was accepted; nothing was replaced."""

    def __init__(self, key: str, result: Any = None, **params: Any) -> None:
        self.result = result
        super().__init__(key, **params)


class ImportTooLarge(InputError):
    """The import needs more memory than it may use; nothing was changed."""


class TooLarge(ImportTooLarge):
    """A request body (``REKAM_BODY_MAX_KB``) or an import upload (``REKAM_UPLOAD_MAX_MB``) larger
    than its limit: refused before anything is stored (HTTP 413). ``code``: what a client reads."""

    code = "too_large"


class VerificationFailed(InputError):
    """A returned workbook with problems; ``problems`` holds one message per problem."""

    def __init__(self, key: str, problems: list[str], **params: Any) -> None:
        self.problems = problems
        super().__init__(key, count=len(problems), **params)

    def __str__(self) -> str:
        return "\n".join([super().__str__(), *self.problems])


class ScenarioError(InputError):
    """A planning scenario that cannot be used; the message names the JSON path."""


class PlanInfeasible(InputError):
    """A plan that breaks the scenario's rules; ``problems`` holds one line per violation."""

    def __init__(self, key: str, problems: list[str], **params: Any) -> None:
        self.problems = problems
        super().__init__(key, count=len(problems), **params)

    def __str__(self) -> str:
        return "\n".join([super().__str__(), *self.problems[:50]])


class InvalidArgument(InputError):
    """An option value that cannot be used."""


#: One problem of a request: the option's name, the value given, and what would be accepted.
Problem = tuple[str, object, str]


class InvalidOptions(InvalidArgument):
    """Options of one request that cannot be used, every one of them; ``problems`` holds
    ``(option, value, hint)`` for each. Its key and parameters are the first problem's
    (``bad_option``), so a front end that shows one message still shows a true one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        option, value, hint = self.problems[0]
        super().__init__("bad_option", option=option, value=value, hint=hint)

    def __str__(self) -> str:
        from rekam.messages import text

        return "\n".join(text("bad_option", option=o, value=v, hint=h) for o, v, h in self.problems)

    def renamed(self, names: Mapping[str, str]) -> InvalidOptions:
        """The same problems with the options named by ``names`` (e.g. the CLI's flags), in
        the option and in the hints that name another option."""
        if not names:
            return self
        pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")

        def swap(words: str) -> str:
            return pattern.sub(lambda m: names[m.group(1)], words)

        return InvalidOptions([(names.get(o, o), v, swap(h)) for o, v, h in self.problems])


class OpsInvalid(InputError):
    """An ops request with a bad value (role, region, kind, quantity, NIK ...); nothing changed."""


class NotFound(RekamUserError):
    """What was asked for does not exist, or not yet (a region, a snapshot, a user, imported sites)."""


class UnknownRegion(NotFound):
    """A region code that is not known."""


class SnapshotError(NotFound):
    """No snapshot, or none to roll back to."""


class OpsNotFound(NotFound):
    """A user, service point, ticket or event that does not exist (or is outside the caller's scope)."""


class PlanningDataMissing(NotFound):
    """What ``rekam plan make`` needs is missing: imported sites, coordinates, or anyone to visit."""


class AccessError(RekamUserError):
    """Who asks may not do it: not logged in, throttled, or outside their role and region."""


class NotAuthenticated(AccessError):
    """A web request without a valid login (no token, a bad or expired one, a disabled user)."""


class DeviceRevoked(NotAuthenticated):
    """A field team's device (``ops.field``) that an admin revoked: nothing it sends is stored.
    ``code`` (``device_revoked``) goes beside the message in the API's error body, so the device
    can tell this from an expired login (it wipes its day package, keeps its queue)."""

    code = "device_revoked"


class LoginThrottled(AccessError):
    """Too many failed logins for this user name or client address within the window; refused
    (even with the right password) until ``params["minutes"]`` have passed."""


class ComputeThrottled(AccessError):
    """One user asked for more new figures (a pass over the register each) than
    ``REKAM_EXPENSIVE_PER_MINUTE`` within a minute: refused, nothing computed, until
    ``retry_after`` seconds have passed (HTTP 429 with Retry-After). Figures already computed
    are never refused."""

    code = "rate_limited"

    def __init__(self, key: str, retry_after: int, **params: Any) -> None:
        self.retry_after = retry_after
        super().__init__(key, seconds=retry_after, **params)


class PermissionDenied(AccessError):
    """The user may not read or write this region or service point, or is disabled."""


class Refused(RekamUserError):
    """The rules refuse the request as it stands (a stale import, an unconfirmed duplicate, a
    reused idempotency key, a service the rules forbid); nothing changed."""


class StaleImport(Refused):
    """An import older than the current data of a kab/kota it contains."""


class ImportShrinks(Refused):
    """An import that would replace a kab/kota with far fewer rows than it has (a partial or
    correction file taken for a whole export); ``comparison`` holds rows before and after per
    kab/kota (codes and counts only). Nothing was written."""

    def __init__(self, key: str, comparison: list[dict[str, Any]] | None = None, **params: Any) -> None:
        super().__init__(key, **params)
        self.comparison = comparison or []


class ConfirmationNeeded(Refused):
    """A service that needs the operator's confirmation first (a perekaman for someone
    already recorded would make a DUPLICATE_RECORD); nothing was stored."""


class IdempotencyConflict(Refused):
    """An idempotency key already used at this service point with a different request body."""


class OpsRefused(Refused):
    """A service the rules refuse (a print for someone not printable, no blanko left ...);
    ``reason`` is the message key, so a front end can offer the alternative (surat keterangan)."""

    @property
    def reason(self) -> str:
        return self.key


class Unavailable(RekamUserError):
    """Something rekam needs cannot be used on this machine (an analytics engine, the ops database)."""


class EngineUnavailable(Unavailable):
    """An analytics engine that is unknown or not installed."""


class OpsUnavailable(Unavailable):
    """The ops database cannot be opened (bad REKAM_DATABASE_URL, server not answering)."""


class ServerBusy(Unavailable):
    """``REKAM_EXPENSIVE_AT_ONCE`` requests are already computing new figures and none ended
    within a short wait: refused, nothing computed (HTTP 503 with Retry-After ``retry_after``)."""

    code = "busy"

    def __init__(self, key: str, retry_after: int, **params: Any) -> None:
        self.retry_after = retry_after
        super().__init__(key, seconds=retry_after, **params)
