"""The team's field page (issue 20): ``/lapangan``, its service worker and its manifest.

The page is a shell with no personal data and no login cookie: the team leader logs in on the
page itself (``POST /api/v1/lapangan/perangkat``, the contract in docs/field.md), and the
device's token, the day package and the outcome queue live in the phone's IndexedDB
(``static/field.js``), so the page works where there is no signal. Everything it needs is
served by rekam (no CDN) and cached by the service worker:

- ``GET /lapangan``: the page (``templates/field.html``); its words travel as JSON in the body's
  ``data-words`` attribute (escaped; the CSP allows no inline script), read by ``field.js``.
- ``GET /lapangan/sw.js``: the service worker (``static/field-sw.js``), with scope
  ``/lapangan`` (``Service-Worker-Allowed``: a worker's default scope would be ``/lapangan/``,
  which does not hold the page itself). Its ``VERSION`` is a digest of the files it caches,
  so a new release of any of them is a new worker: the browser installs it and drops the old
  cache.
- ``GET /lapangan/manifest.webmanifest``: the web app manifest (installing the page on the
  home screen).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from rekam.domain.region import PROVINCE_CODES
from rekam.ops.field import OUTCOMES  # the outcomes the server takes: the page offers exactly these
from rekam.web import text
from rekam.web.context import language
from rekam.web.pages import render

router = APIRouter(include_in_schema=False)

WEB = Path(__file__).parent
#: What the service worker keeps for offline use (the page itself, then its files).
SHELL = (
    "/lapangan",
    "/static/field.css",
    "/static/field.js",
    "/lapangan/manifest.webmanifest",
    "/static/field-icon-192.png",
    "/static/field-icon-512.png",
)
#: The files whose bytes make the worker's version.
VERSIONED = (
    "templates/field.html",
    "static/field.css",
    "static/field.js",
    "static/field-sw.js",
    "static/field-icon-192.png",
    "static/field-icon-512.png",
    "text.py",
)


@cache
def worker_version() -> str:
    digest = hashlib.sha256()
    for name in VERSIONED:
        digest.update((WEB / name).read_bytes())
    return digest.hexdigest()[:16]


def words(lang: str) -> dict[str, str]:
    """Every ``field_*`` label in ``lang`` (the key without its prefix) and the site kinds
    (``kind_sekolah``...), for field.js."""
    found = {key.removeprefix("field_"): text.label(lang, key) for key in text.LABELS["id"] if key.startswith("field_")}
    kinds = {
        key.removeprefix("site_"): text.label(lang, key) for key in text.LABELS["id"] if key.startswith("site_kind_")
    }
    return found | kinds


@router.get("/lapangan")
def field_page(request: Request) -> HTMLResponse:
    lang = language(request)
    return render(
        request,
        "field.html",
        None,
        words=json.dumps(words(lang), ensure_ascii=False),
        outcomes=OUTCOMES,
        provinces=" ".join(sorted(PROVINCE_CODES)),
    )


@router.get("/lapangan/sw.js")
def service_worker() -> Response:
    source = (WEB / "static" / "field-sw.js").read_text(encoding="utf-8")
    body = source.replace("__VERSION__", worker_version()).replace("__SHELL__", json.dumps(list(SHELL)))
    return Response(
        body,
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/lapangan"},
    )


@router.get("/lapangan/manifest.webmanifest")
def manifest(request: Request) -> Response:
    lang = language(request)
    body = {
        "name": text.label(lang, "field_app_name"),
        "short_name": text.label(lang, "field_short_name"),
        "lang": lang,
        "start_url": "/lapangan",
        "scope": "/lapangan",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f5f7fa",
        "theme_color": "#123c69",
        "icons": [
            {"src": "/static/field-icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": "/static/field-icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
        ],
    }
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/manifest+json")
