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
            await _refusal(scope)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def _refusal(scope: Scope) -> HTMLResponse | JSONResponse:
    from rekam.web.context import language

    request = Request(scope)
    message = text_in(language(request), "auth_cross_site")
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=403)
    from rekam.web import pages

    template = "_error.html" if request.headers.get("HX-Request") else "error.html"
    return pages.render(request, template, None, status_code=403, message=message, status=403)


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
