"""The web app: ``create_app()`` for ``rekam serve`` and the tests (issues #7 and #8).

One place turns rekam's exceptions into responses: for /api/ paths FastAPI's
``{"detail": "..."}`` with the message in the caller's language and a fitting status; for pages
an error page (or, without a login, a redirect to it). Nothing else catches them. Every asset
is served from ``web/static`` (no CDN: offices and this build machine may be offline).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from starlette.middleware.gzip import GZipMiddleware

from rekam import errors
from rekam.config import Settings
from rekam.messages import set_language, text_in
from rekam.web import (
    api_v1,
    auth,
    blanko_pages,
    desk_api,
    desk_pages,
    field_api,
    field_pages,
    limits,
    pages,
    security,
)
from rekam.web.context import WebState, language
from rekam.web.imports import clean_stale_uploads
from rekam.web.openapi import describe_errors
from rekam.web.warm import prepare, warm_up

#: How long ``rekam serve``'s start waits for ``prepare`` and then for the warm-up's figures (read
#: from the disk after a restart: about 0.1 s) before it answers (issue 21).
READY_S = 2.0
#: Seconds an idle keep-alive connection stays open (uvicorn's default is 5): a client that
#: reuses a pooled connection after a pause longer than that (a field device syncs every 30-60 s,
#: a Kadis reads a page for a while) may send its request as the server closes it, and gets a
#: reset instead of an answer (seen once in the soak, issue 21). nginx's default.
KEEP_ALIVE_S = 75

#: Exception class -> HTTP status (the first match in order wins).
STATUS: tuple[tuple[type[errors.RekamUserError], int], ...] = (
    (errors.NotAuthenticated, 401),
    (errors.LoginThrottled, 429),
    (errors.ComputeThrottled, 429),
    (errors.TooLarge, 413),
    (errors.PermissionDenied, 403),
    (errors.UnknownRegion, 404),
    (errors.OpsNotFound, 404),
    (errors.SnapshotError, 404),
    (errors.IdempotencyConflict, 409),
    (errors.ConfirmationNeeded, 428),
    (errors.OpsRefused, 422),
    (errors.OpsUnavailable, 503),
    (errors.ServerBusy, 503),
    (errors.RekamUserError, 400),
)


def status_of(exc: errors.RekamUserError) -> int:
    return next(code for cls, code in STATUS if isinstance(exc, cls))


def create_app(settings: Settings | None = None, warm: bool = False) -> FastAPI:
    """The app; ``warm`` (``rekam serve``) prepares what every request needs (``warm.prepare``:
    the ops database, the templates) and computes the current snapshot's figures and the
    provinces' pages in a background thread at start, so the first visitor does not wait."""
    state = WebState(settings or Settings.from_env())
    set_language(state.settings.lang)  # the language of messages made outside a request (a request has its own)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        clean_stale_uploads(state.settings.home)  # uploads of a server killed mid-import (personal data)
        if warm:
            # In a thread of its own, waited for at most READY_S: an ops database that does not
            # answer (PostgreSQL away) must not hold the start; the first request then reports it.
            prepared = threading.Thread(
                target=prepare, args=(state, pages.templates.env), name="rekam-prepare", daemon=True
            )
            prepared.start()
            await asyncio.to_thread(prepared.join, READY_S)
            figures_done = threading.Event()
            threading.Thread(target=warm_up, args=(state, figures_done), name="rekam-warm-up", daemon=True).start()
            # After a restart the warm-up reads the kept figures back in tens of milliseconds: the
            # first request then finds them in memory. Never longer than READY_S (the first
            # start after an import computes for seconds: the server answers meanwhile).
            await asyncio.to_thread(figures_done.wait, READY_S)
        yield

    app = FastAPI(
        title="rekam",
        version="0.1",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        description="Cakupan KTP-el, daftar by name, layanan dan hari pemungutan suara.",
    )
    describe_errors(app)  # the OpenAPI says the real error shape and codes
    app.state.rekam = state
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    app.add_middleware(limits.RequestTicket)  # whose request: the limits on new figures (web/limits.py)
    app.add_middleware(security.BodyLimit, max_kb=state.settings.body_max_kb)  # 413 before the route runs
    app.add_middleware(security.Guard, cookie=auth.COOKIE, origins=state.settings.origins)
    # Outermost: compress every answer of 1 KB or more for a Kadis on a slow link (/peta/13: 296 KB
    # of HTML, 37 KB compressed). Pages carry no secret a reflected input could be guessed against
    # (no CSRF token: same-origin checks), so BREACH-style guessing has nothing to find.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.get("/docs", include_in_schema=False)(lambda: security.swagger_page(app.title))  # vendored, no CDN
    app.include_router(api_v1.router)
    app.include_router(desk_api.router)
    app.include_router(field_api.router)
    app.include_router(pages.router)
    app.include_router(desk_pages.router)
    app.include_router(blanko_pages.router)
    app.include_router(field_pages.router)  # the team's offline page (issue 20)

    @app.exception_handler(errors.RekamUserError)
    def user_error(request: Request, exc: errors.RekamUserError) -> Response:
        lang = language(request)
        message = text_in(lang, exc.key, **exc.params)
        status = status_of(exc)
        retry = getattr(exc, "retry_after", None)  # seconds: the limits on new figures (429, 503)
        if retry is None and status == 429:  # a locked login: its minutes
            retry = 60 * int(exc.params.get("minutes", 1))
        if request.url.path.startswith("/api/"):
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            if retry is not None:
                headers = {"Retry-After": str(retry)}
            body = {"detail": message}
            if isinstance(getattr(exc, "code", None), str):  # a code a client acts on (device_revoked)
                body["code"] = exc.code  # type: ignore[attr-defined]
            return JSONResponse(body, status_code=status, headers=headers)
        if request.headers.get("HX-Request"):  # a part of a page: the message in its place
            return pages.render(request, "_error.html", None, message=message, status=status)
        if status == 401:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        page = pages.render(
            request, "error.html", _user_or_none(request), status_code=status, message=message, status=status
        )
        if retry is not None:
            page.headers["Retry-After"] = str(retry)
        return page

    @app.exception_handler(DBAPIError)
    def database_error(request: Request, exc: DBAPIError) -> Response:
        """A database error; nothing was stored (the transaction rolled back), the message names
        no data (SQL parameters are hidden). Only a lost or refused connection (OperationalError,
        InterfaceError: a restart, the server away, a deadlock or serialization failure) is a 503
        with Retry-After: the same request may succeed in a moment. A value the database refuses
        (DataError) is a 422 and a constraint (IntegrityError) a 409, without Retry-After: sent
        again unchanged they fail again (a NUL byte once made a client retry forever). Anything
        else is a bug: 500, logged with its traceback."""
        detail = type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__
        retry = isinstance(exc, OperationalError | InterfaceError)
        if retry:
            key, status = "ops_unreachable", 503
        elif isinstance(exc, DataError):
            key, status = "ops_bad_value", 422
        elif isinstance(exc, IntegrityError):
            key, status = "ops_db_conflict", 409
        else:
            key, status = "ops_db_failed", 500
            logging.getLogger("rekam.web").error("database error on %s", request.url.path, exc_info=exc)
        message = text_in(language(request), key, detail=detail)
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"detail": message}, status_code=status, headers={"Retry-After": "1"} if retry else None
            )
        return pages.render(request, "error.html", None, status_code=status, message=message, status=status)

    @app.exception_handler(RequestValidationError)
    def bad_request(request: Request, exc: RequestValidationError) -> Response:
        lang = language(request)
        fields = ", ".join(".".join(str(p) for p in e.get("loc", ())[1:]) or "?" for e in exc.errors())
        message = text_in(lang, "web_bad_request", fields=fields)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=422)
        return pages.render(request, "error.html", None, status_code=422, message=message, status=422)

    return app


def _user_or_none(request: Request) -> object:
    """The logged-in user for an error page's header (menu, log out), or None."""
    st: WebState = request.app.state.rekam
    try:
        return auth.user_of(st.db, st.key, request.cookies.get(auth.COOKIE))
    except errors.RekamUserError:
        return None


def serve_app() -> FastAPI:
    """The app as ``rekam serve --workers N`` starts it in each worker process (warmed)."""
    return create_app(warm=True)
