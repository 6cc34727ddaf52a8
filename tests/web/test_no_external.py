"""No page reaches another host (issue 16, "Must show"): an office on a slow or closed link gets
every byte from rekam itself. For every page (and /docs, Swagger UI being vendored):

- the HTML as served: every ``src``, ``href``, ``action``, ``poster``, ``srcset``, ``formaction``
  and every ``url(...)`` in a ``style`` is relative or on the page's own origin;
- the CSS it loads (``<link rel=stylesheet>``) likewise in its ``url(...)`` and ``@import``;
- what the browser actually fetched while showing the page (the JS it runs included) went to
  the same origin (or ``data:``/``blob:``).

Real Chromium against a real ``rekam serve`` on the demo register; one server for the module."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from tests.web.conftest import PASSWORD
from tests.web.test_browser import (  # noqa: F401 - the fixtures
    CHROMIUM,
    server,
    server_home,
)
from tests.web.tour import DESKTOP

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-services.sh installs it)"),
]

URL_ATTRS = {"src", "href", "action", "poster", "formaction", "data", "srcset", "xlink:href"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.I)
#: XML namespaces are names, not addresses: nothing is fetched from them.
NAMESPACES = ("http://www.w3.org/",)


class Links(HTMLParser):
    """Every address named in an HTML page's attributes and inline styles, and its stylesheets."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []  # (where, address)
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRS:
                parts = value.split(",") if name == "srcset" else [value]
                for part in parts:
                    self.refs.append((f"<{tag} {name}>", part.strip().split(" ")[0]))
            if name == "style":
                self.refs += [(f"<{tag} style>", u) for u in css_urls(value)]
        if tag == "link" and "stylesheet" in (values.get("rel") or "") and values.get("href"):
            self.stylesheets.append(values["href"] or "")

    def handle_data(self, data: str) -> None:
        if self.lasttag == "style":
            self.refs += [("<style>", u) for u in css_urls(data)]


def css_urls(css: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in CSS_URL.finditer(css)]


def external(address: str, origin: str) -> bool:
    """True when fetching ``address`` from a page of ``origin`` would leave it."""
    address = address.strip()
    if not address or address.startswith(("#", "data:", "blob:", "about:", "javascript:", "mailto:")):
        return False
    if address.startswith(NAMESPACES):
        return False
    target = urlsplit(urljoin(origin + "/", address))
    return f"{target.scheme}://{target.netloc}" != origin


def test_the_checker_sees_an_external_address() -> None:
    """The parser and the rule themselves: a CDN script, a protocol-relative font, a CSS import."""
    page = Links()
    page.feed(
        '<link rel="stylesheet" href="/static/a.css"><script src="https://cdn.example/x.js"></script>'
        '<div style="background: url(//fonts.example/f.woff)"></div><a href="/wilayah/13">x</a>'
        '<form action="http://127.0.0.1:9/impor"></form><style>@import "https://evil.example/s.css";</style>'
    )
    origin = "http://127.0.0.1:8000"
    found = sorted(a for _, a in page.refs if external(a, origin))
    assert found == [
        "//fonts.example/f.woff",
        "http://127.0.0.1:9/impor",
        "https://cdn.example/x.js",
        "https://evil.example/s.css",
    ]
    assert page.stylesheets == ["/static/a.css"]
    assert not external("/static/rekam.css", origin) and not external("?lang=en", origin)
    assert not external("http://127.0.0.1:8000/docs", origin) and not external("data:image/png;base64,AA", origin)


def _logged_in(browser: Any, server: str, username: str | None) -> Any:  # noqa: F811
    context = browser.new_context(base_url=server, viewport=DESKTOP, locale="id-ID")
    if username:
        r = context.request.post("/login", form={"username": username, "password": PASSWORD}, max_redirects=0)
        assert r.status == 303, r.text()
    return context


PAGES = [
    (None, "/login"),
    ("sumbar", "/wilayah/13"),
    ("sumbar", "/wilayah/13.71"),
    ("sumbar", "/wilayah/13.71.01"),
    ("sumbar", "/wilayah/13.71.01.1001"),
    ("sumbar", "/peta/13.71"),
    ("sumbar", "/daftar/13.71.01.1001"),
    ("sumbar", "/daftar/13.71.01"),
    ("sumbar", "/kualitas/13"),
    ("sumbar", "/impor"),
    ("sumbar", "/hari-h/13"),
    ("sumbar", "/rencana"),
    ("sumbar", "/wilayah/13.99"),
    ("sumbar", "/wilayah/13?lang=en"),
    ("sumbar", "/docs"),
    ("loket1", "/loket"),
    ("loket1", "/loket/rekonsiliasi"),
    ("loket1", "/loket/blanko"),
]


def test_no_page_references_or_fetches_another_host(browser: Any, server: str) -> None:  # noqa: F811
    origin = server.rstrip("/")
    contexts: dict[str | None, Any] = {}
    fetched: list[tuple[str, str]] = []
    found: list[str] = []
    checked_css: set[str] = set()
    try:
        for user, path in PAGES:
            if user not in contexts:
                contexts[user] = _logged_in(browser, server, user)
                contexts[user].on("request", lambda r, p=None: fetched.append((r.url, r.frame.url if r.frame else "")))
            page = contexts[user].new_page()
            page.set_default_timeout(30_000)
            response = page.goto(path)
            assert response is not None and response.status in (200, 404), (path, response and response.status)
            html = response.text()
            assert "<html" in html.lower(), path
            page.wait_for_load_state("networkidle")
            links = Links()
            links.feed(html)
            assert links.refs, path  # every page links somewhere (its stylesheet at least)
            found += [f"{path} {where} {a}" for where, a in links.refs if external(a, origin)]
            for sheet in links.stylesheets:
                url = urljoin(origin + path, sheet)
                if url in checked_css or external(url, origin):
                    continue
                checked_css.add(url)
                css = page.request.get(url).text()
                found += [f"{path} {sheet} url({u})" for u in css_urls(css) if external(u, origin)]
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    assert found == [], found
    assert checked_css >= {f"{origin}/static/rekam.css", f"{origin}/static/swagger-ui.css"}
    assert len(fetched) > len(PAGES)  # the pages, their CSS and JS, the htmx requests
    away = sorted({url for url, _ in fetched if external(url, origin)})
    assert away == [], away
