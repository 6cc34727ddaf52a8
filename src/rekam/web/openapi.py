"""The OpenAPI document says what the API really answers (issue #13, finding 15).

Every error the API sends is ``{"detail": "<message>"}``, one string in the caller's language
(``app.py`` turns rekam's exceptions, validation errors and a lost ops database into it). FastAPI
would declare its own 422 array (``HTTPValidationError``) and nothing else; ``describe_errors``
replaces that with one ``Error`` schema and declares, by one rule per status, the codes each
operation can send (``app.STATUS`` maps the exceptions to them):

    400  another bad value (a date, a region code)    operations with parameters or a body
    401  no or bad login (header WWW-Authenticate)     operations that need a login; the logins
    403  outside the user's role, region or point     operations that need a login, but /me; a device login
    404  unknown region, service point, NIK, ticket   operations naming one (path, query or body)
    409  an idempotency key reused with another body   POSTs whose body has an idempotency_key
    413  a body over REKAM_BODY_MAX_KB (code too_large)  operations with a body
    422  a missing field, or a request the rules refuse   every operation
    428  a service that needs confirmation first       POST /layanan
    429  too many failed logins (Retry-After)          the token form and a field device's login
         too many new figures (Retry-After, code rate_limited)  the operations computing figures
    503  the ops database cannot be reached, or every computing slot taken (Retry-After;
         code busy)                                    every operation (the login reads it)

A revoked field device's 401 carries ``code`` (``device_revoked``) beside the detail.
A POST answering 201 with an idempotency key answers 200 with the same body for a retry.
Routes are not edited one by one: the rule reads each operation's parameters and body.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "additionalProperties": False,
    "properties": {
        "detail": {
            "type": "string",
            "title": "Detail",
            "description": "What is wrong and what to do, in the caller's language",
        },
        "code": {
            "type": "string",
            "title": "Code",
            "description": "Only where a client acts on it: device_revoked (a revoked field device, 401), "
            "too_large (413), rate_limited (429 for new figures), busy (503 for new figures)",
        },
    },
}

#: What each error status means, as the document describes it.
MEANING = {
    "400": "A bad value (a date, a region code, an option)",
    "401": "No login, or a bad or expired token",
    "403": "Outside the user's role, region or service point",
    "404": "Unknown region, service point, resident or ticket (or no snapshot imported yet)",
    "409": "The idempotency key was used before with another request",
    "413": "The request body is larger than REKAM_BODY_MAX_KB; nothing was stored",
    "422": "A missing or malformed field, or a request the rules refuse",
    "428": "The service needs the operator's confirmation first (confirm: true)",
    "429": "Too many failed logins for this user name or address, or too many requests for new figures "
    "by this user (REKAM_EXPENSIVE_PER_MINUTE); wait (Retry-After) and try again",
    "503": "The ops database cannot be reached, or the server is computing as many new figures as it may at once "
    "(REKAM_EXPENSIVE_AT_ONCE); nothing was stored or computed, retry after Retry-After",
}
#: Names (parameter or body property) that point at a region, a service point or a resident.
NAMED = {"code", "region", "nik", "service_point"}
#: Operations that may ask for confirmation (``errors.ConfirmationNeeded``).
CONFIRMS = {("post", "/api/v1/layanan")}
NO_SCOPE = {("get", "/api/v1/me")}
#: Operations that log a user in from a body (throttled like the token form): a field device's.
LOGINS = {("post", "/api/v1/lapangan/perangkat")}
#: Operations that may compute new figures (a pass over the register): limited per user (429).
COMPUTES = {
    ("get", "/api/v1/coverage"),
    ("get", "/api/v1/regions"),
    ("get", "/api/v1/regions/{code}"),
    ("get", "/api/v1/map/{code}"),
    ("get", "/api/v1/quality"),
}


def describe_errors(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the document with the real error shapes and codes."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            app.openapi_schema = errors_described(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def errors_described(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["Error"] = ERROR
    for path, operations in schema.get("paths", {}).items():
        for method, op in operations.items():
            _describe(schema, path, method, op)
    return schema


def _describe(schema: dict[str, Any], path: str, method: str, op: dict[str, Any]) -> None:
    names = {p["name"] for p in op.get("parameters", [])} | set(_body_properties(schema, op))
    login = bool(op.get("security"))
    codes = {"422", "503"}
    if names or "requestBody" in op:
        codes.add("400")
    logs_in = path.endswith("/auth/token") or (method, path) in LOGINS
    if login or logs_in:
        codes.add("401")
    if logs_in or (method, path) in COMPUTES:
        codes.add("429")
    if "requestBody" in op:
        codes.add("413")
    if (login and (method, path) not in NO_SCOPE) or (method, path) in LOGINS:
        codes.add("403")
    if names & NAMED or any(p["in"] == "path" for p in op.get("parameters", [])):
        codes.add("404")
    if method == "post" and "idempotency_key" in names:
        codes.add("409")
    if (method, path) in CONFIRMS:
        codes.add("428")
    responses = op.setdefault("responses", {})
    if method == "post" and "idempotency_key" in names and "201" in responses and "200" not in responses:
        responses["200"] = dict(responses["201"], description="The same request seen before: the stored result")
    for code in sorted(codes):
        responses[code] = _error(code)


def _error(code: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": MEANING[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if code == "401":
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}}
    if code in ("429", "503"):
        response["headers"] = {"Retry-After": {"schema": {"type": "string"}, "description": "seconds"}}
    return response


def _body_properties(schema: dict[str, Any], op: dict[str, Any]) -> list[str]:
    """The top-level property names of an operation's JSON or form body."""
    names: list[str] = []
    for media in op.get("requestBody", {}).get("content", {}).values():
        body = media.get("schema", {})
        ref = body.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        names += list(body.get("properties", {}))
    return names
