"""What the browser is told and what it may send (issue #13, findings 7, 13 and 15).

``Guard`` (an ASGI middleware, hooked in ``create_app``) does two things for every request:

- **Cross-site requests are refused.** A state-changing request (any method but GET, HEAD,
  OPTIONS) that a browser could send with the login cookie must come from rekam's own pages:
  its ``Origin`` (else its ``Referer``) must be the address the browser asked for (the ``Host``
  header) or one of ``REKAM_ORIGINS``; otherwise 403 with a message, and nothing runs. The
  login form is included (login CSRF). A request with a bearer token and no cookie is an API
  client, which a foreign page cannot make a browser send, and is not checked; a request with
  neither ``Origin`` nor ``Referer`` is not a browser's form or script (browsers send ``Origin``
  with every POST) and passes.
- **Headers on every response**: a Content-Security-Policy that allows scripts, styles, images
  and requests from rekam itself only (no inline script or style: the templates have none,
  htmx runs without eval) and no framing; ``X-Frame-Options: DENY``; ``nosniff``;
  ``Referrer-Policy: same-origin``; and ``Cache-Control: no-store`` on everything but
  ``/static/`` (pages, downloads, quarantine files and the API may hold personal data: no
  browser or proxy keeps a copy).

``BodyLimit`` (another middleware, inside ``Guard``) refuses a request body larger than
``REKAM_BODY_MAX_KB`` with 413 and a message in the user's language before the route runs
(nothing read, nothing stored): at once from its Content-Length, else (a chunked body) after
reading at most the limit. The import upload (``POST /impor``) has its own, larger limit
(``REKAM_UPLOAD_MAX_MB``, checked the same two ways while it streams to disk: ``web/imports.py``).

``swagger_page`` is /docs from the vendored
Swagger UI (``web/static/swagger-ui*``, Apache-2.0), with no CDN.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from fastapi.responses import HTMLResponse, JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rekam.messages import text_in

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _cookies(headers: Headers) -> set[str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie header: treat as cookies present
        return {"?"}
    return set(jar)


def same_site(headers: Headers, cookie: str, origins: tuple[str, ...]) -> bool:
    """Whether a state-changing request may run (see the module docstring)."""
    if headers.get("authorization", "").lower().startswith("bearer ") and cookie not in _cookies(headers):
        return True
    origin = headers.get("origin")
    if origin is None:
        referer = headers.get("referer")
        if not referer:
            return True
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    origin = origin.strip().rstrip("/").lower()
    if origin == "null":
        return False
    host = headers.get("host", "").lower()
    return (bool(host) and urlsplit(origin).netloc == host) or origin in origins


#: How long a browser keeps /static/ files (htmx, CSS, Swagger UI) before asking again.
STATIC_CACHE = "public, max-age=86400"


class Guard:
    """The middleware: cross-site refusal and response headers (module docstring)."""

    def __init__(self, app: ASGIApp, cookie: str, origins: tuple[str, ...] = ()) -> None:
        self.app = app
        self.cookie = cookie
        self.origins = origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if not path.startswith("/static/"):
                    headers["Cache-Control"] = "no-store"
                else:  # vendored files change only with a release; revalidated by ETag after a day
                    headers["Cache-Control"] = STATIC_CACHE
            await send(message)

        if scope["method"] not in SAFE_METHODS and not same_site(Headers(scope=scope), self.cookie, self.origins):
            await _refusal(scope, "auth_cross_site", 403)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


#: Requests with their own body limit: the import upload (REKAM_UPLOAD_MAX_MB, ``web/imports.py``).
OWN_LIMIT = frozenset({("POST", "/impor")})


class BodyLimit:
    """The middleware: a request body of more than ``max_kb`` KB is refused with 413 before the
    route runs (module docstring). A body without a Content-Length is read here (at most the
    limit) and handed on whole."""

    def __init__(self, app: ASGIApp, max_kb: int) -> None:
        self.app = app
        self.max_kb = max_kb

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) in OWN_LIMIT:
            await self.app(scope, receive, send)
            return
        limit = self.max_kb * 1024
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:  # the server reads exactly that many bytes, no more
            if not declared.isdigit() or int(declared) > limit:
                await _refusal(scope, "body_too_large", 413, limit=self.max_kb)(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _refusal(scope, "body_too_large", 413, limit=self.max_kb)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        whole = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        handed = False

        async def replay() -> Message:
            nonlocal handed
            if not handed:
                handed = True
                return whole
            return await receive()  # after the body: a disconnect, for a streaming response

        await self.app(scope, replay, send)


def _refusal(scope: Scope, key: str, status: int, **params: object) -> HTMLResponse | JSONResponse:
    """A refusal made before the route runs, in the user's language: JSON ``{"detail", "code"}``
    for /api/ (``code`` only for a 413: ``too_large``), else the error page."""
    from rekam.web.context import language

    request = Request(scope)
    message = text_in(language(request), key, **params)
    if request.url.path.startswith("/api/"):
        body = {"detail": message} if status != 413 else {"detail": message, "code": "too_large"}
        return JSONResponse(body, status_code=status)
    from rekam.web import pages

    template = "_error.html" if request.headers.get("HX-Request") else "error.html"
    return pages.render(request, template, None, status_code=status, message=message, status=status)


def swagger_page(title: str) -> HTMLResponse:
    """/docs: Swagger UI from rekam's own static files, started by a static script (the CSP
    allows no inline script)."""
    return HTMLResponse(f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - API</title>
<link rel="stylesheet" href="/static/swagger-ui.css">
<link rel="stylesheet" href="/static/swagger-rekam.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
""")
