"""The figures kept on disk (issue #16, ``web/kept.py``): what one ``FigureCache`` computed is
found by another on the same REKAM_HOME (a restarted server, another worker) without any pass
over the register; a file that was tampered with, or written by another format or version, is
not trusted; the folder is bounded; ``REKAM_FIGURE_CACHE=0`` turns it off."""

from __future__ import annotations

import os
import re
import shutil
import stat
import threading
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from tests.web.conftest import PASSWORD
from tests.web.server import Server

from rekam.api import Rekam
from rekam.config import Settings
from rekam.web import kept
from rekam.web.context import WebState
from rekam.web.figures import Desk, FigureCache
from rekam.web.views import region_view, trend_svg

ELECTION = date(2024, 11, 27)
SNAP: Any = SimpleNamespace(id="0001-20241113", export_date=date(2024, 11, 13))


class _Counting:
    """A stand-in for ``Rekam.coverage_levels``: counts its calls, one row per level."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, as_of, levels, region, snapshot, election_date, target, **kw):  # type: ignore[no-untyped-def]
        self.calls += 1
        return {level: [f"{level}-{self.calls}"] for level in levels}


def _cache(home: Path, monkeypatch: pytest.MonkeyPatch, **settings: Any) -> tuple[FigureCache, _Counting]:
    cache = FigureCache(Rekam(Settings(home=home, **settings)))
    compute = _Counting()
    monkeypatch.setattr(cache.rekam, "coverage_levels", compute)
    monkeypatch.setattr(cache, "desk", lambda snapshot: Desk())
    return cache, compute


def _files(home: Path) -> list[Path]:
    return sorted((home / "cache" / "figures").glob("*.pickle"))


@pytest.fixture
def home(web_home: Path, tmp_path: Path) -> Path:
    """A copy of the web home (the demo register, its sites, users and points)."""
    copy = tmp_path / "home"
    shutil.copytree(web_home, copy, ignore=shutil.ignore_patterns("cache"))
    return copy


def _fail(*args: Any, **kw: Any) -> Any:
    raise AssertionError("computed again instead of read from the disk")


def test_a_second_cache_reads_what_the_first_computed_without_the_engine(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = WebState(Settings(home=home, election_date=ELECTION))
    view = region_view(first, "13", None, ELECTION)  # the figures, the ranking, the per-child progress
    kab = region_view(first, "13.71", None, ELECTION)  # the kab/kota's own rank
    snap = first.store.require_current()
    quality = first.figures.quality(snap, "13", "kab")
    assert view.ranking and view.progress and kab.own_rank is not None and quality
    folder = home / "cache" / "figures"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert _files(home) and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in _files(home))

    for name in ("coverage_levels", "rank", "progress", "quality", "coverage"):
        monkeypatch.setattr(Rekam, name, _fail)
    second = WebState(Settings(home=home, election_date=ELECTION))
    again = region_view(second, "13", None, ELECTION)
    assert again.total == view.total and again.children == view.children
    assert again.ranking == view.ranking and again.progress == view.progress
    assert again.trend == view.trend
    assert region_view(second, "13.71", None, ELECTION).own_rank == kab.own_rank
    assert second.figures.quality(snap, "13", "kab") == quality


def test_the_trend_chart_is_read_back_without_drawing_it_again(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21: the trend chart (matplotlib, the slowest part of a restarted server's first
    province page) is kept with the figures; another cache reads it back, drawing nothing."""
    from rekam.reports import charts

    first = WebState(Settings(home=home, election_date=ELECTION))
    view = region_view(first, "13", None, ELECTION)
    svg = trend_svg(first, view, 99.4, "id")
    assert svg.startswith("<svg")

    drawn: list[str] = []

    def draw(*args: Any, **kw: Any) -> str:
        drawn.append(args[4])  # the language
        return "<svg>drawn</svg>"

    monkeypatch.setattr(charts, "trend_chart", draw)
    for name in ("coverage_levels", "rank", "progress", "quality", "coverage"):
        monkeypatch.setattr(Rekam, name, _fail)
    second = WebState(Settings(home=home, election_date=ELECTION))
    again = region_view(second, "13", None, ELECTION)
    assert trend_svg(second, again, 99.4, "id") == svg and drawn == []
    assert trend_svg(second, again, 99.4, "en") == "<svg>drawn</svg>" and drawn == ["en"]  # another key: drawn


def test_a_started_server_has_the_kept_figures_in_memory_before_its_first_request(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: ``rekam serve``'s start (``create_app(warm=True)``) reads the kept figures, the
    ranking and the trend chart back before it answers, and opens the ops database and compiles
    the templates, so that the first request finds them ready; nothing is computed or drawn."""
    from fastapi.testclient import TestClient

    from rekam.reports import charts
    from rekam.web import pages
    from rekam.web.app import create_app
    from rekam.web.warm import warm_up

    settings = Settings(home=home, election_date=ELECTION)
    warm_up(WebState(settings))  # the previous process: computes, draws and keeps
    for name in ("coverage_levels", "rank", "progress", "quality", "coverage"):
        monkeypatch.setattr(Rekam, name, _fail)
    monkeypatch.setattr(charts, "trend_chart", _fail)
    pages.templates.env.cache.clear()  # type: ignore[union-attr]

    app = create_app(settings, warm=True)
    state: WebState = app.state.rekam
    with TestClient(app):  # the start (lifespan) has run; no request yet
        assert "db" in state.__dict__ and "key" in state.__dict__  # opened before the first request
        assert any(k[0] == state.store.require_current().id for k in state.figures._cache)
        assert any(k[0] == "rank" for k in state.figures._other)
        assert any(k[0] == "trend_svg" and k[1] == "13" for k in state.figures._other)
        assert len(pages.templates.env.cache or {}) >= 10


def test_nothing_by_name_is_kept(home: Path) -> None:
    """The kept values are counts per region: no NIK of the register is in any kept file."""
    state = WebState(Settings(home=home, election_date=ELECTION))
    region_view(state, "13", None, ELECTION)
    region_view(state, "13.71", None, ELECTION)
    kept_bytes = b"".join(p.read_bytes() for p in _files(home))
    assert kept_bytes
    assert not re.search(rb"(?<!\d)13\d{14}(?!\d)", kept_bytes)  # a 16-digit NIK of Sumatera Barat


def test_a_tampered_file_is_removed_and_the_value_computed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, compute = _cache(tmp_path, monkeypatch)
    value = first.get(SNAP, None, ELECTION)
    assert compute.calls == 1
    second, compute2 = _cache(tmp_path, monkeypatch)
    assert second.get(SNAP, None, ELECTION).by_level == value.by_level and compute2.calls == 0

    for path in _files(tmp_path):
        data = bytearray(path.read_bytes())
        data[-5] ^= 0x01  # one bit of the pickled value changed: the signature no longer verifies
        path.write_bytes(bytes(data))
    third, compute3 = _cache(tmp_path, monkeypatch)
    third.get(SNAP, None, ELECTION)
    assert compute3.calls == 1  # not trusted: computed anew (and kept again, signed)
    fourth, compute4 = _cache(tmp_path, monkeypatch)
    fourth.get(SNAP, None, ELECTION)
    assert compute4.calls == 0


def test_a_file_signed_with_another_secret_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = _cache(tmp_path, monkeypatch)
    first.get(SNAP, None, ELECTION)
    (tmp_path / "web-secret").write_text("another server's secret\n")
    second, compute = _cache(tmp_path, monkeypatch)
    second.get(SNAP, None, ELECTION)
    assert compute.calls == 1


def test_another_format_or_version_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = _cache(tmp_path, monkeypatch)
    first.get(SNAP, None, ELECTION)
    monkeypatch.setattr(kept, "CACHE_FORMAT", kept.CACHE_FORMAT + 1)
    second, compute = _cache(tmp_path, monkeypatch)
    second.get(SNAP, None, ELECTION)
    assert compute.calls == 1
    monkeypatch.setattr("rekam.__version__", "999.0")
    third, compute3 = _cache(tmp_path, monkeypatch)
    third.get(SNAP, None, ELECTION)
    assert compute3.calls == 1


def test_the_newest_value_is_served_after_a_restart_while_the_new_desk_state_computes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = date(2024, 11, 20)
    first, _ = _cache(tmp_path, monkeypatch)
    monkeypatch.setattr(first, "desk", lambda snapshot: Desk(((day, 1, 1),)))
    served = first.get(SNAP)
    assert served.desk_services == 1

    second, compute = _cache(tmp_path, monkeypatch)  # restarted; a service was logged meanwhile
    monkeypatch.setattr(second, "desk", lambda snapshot: Desk(((day, 2, 2),)))
    at_once = second.get(SNAP)
    assert at_once.desk_services == 1 and at_once.by_level == served.by_level  # the kept one, labelled as it is
    second.settle()
    assert compute.calls == 1  # the new desk state computed in the background
    assert second.get(SNAP).desk_services == 2


def test_two_workers_asking_at_once_compute_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second worker (another ``FigureCache`` on the same home) asking for figures another is
    computing waits for them and reads them instead of passing over the register too."""
    first, compute = _cache(tmp_path, monkeypatch)
    started, release = threading.Event(), threading.Event()
    counted = compute

    def slow(*args: Any, **kw: Any) -> Any:
        started.set()
        assert release.wait(30)
        return counted(*args, **kw)

    monkeypatch.setattr(first.rekam, "coverage_levels", slow)
    second, compute2 = _cache(tmp_path, monkeypatch)
    got: dict[str, Any] = {}
    one = threading.Thread(target=lambda: got.update(first=first.get(SNAP, None, ELECTION)))
    one.start()
    assert started.wait(30)
    two = threading.Thread(target=lambda: got.update(second=second.get(SNAP, None, ELECTION)))
    two.start()
    two.join(0.5)
    assert two.is_alive()  # waiting for the first worker's computation
    release.set()
    one.join(30)
    two.join(30)
    assert compute.calls == 1 and compute2.calls == 0
    assert got["second"].by_level == got["first"].by_level


def test_the_folder_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache, compute = _cache(tmp_path, monkeypatch)
    cache.kept.limit = 5
    for day in range(1, 11):
        cache.get(SNAP, date(2024, 12, day), ELECTION)
    assert compute.calls == 10
    assert len(_files(tmp_path)) == 5


def test_it_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.from_env({"REKAM_FIGURE_CACHE": "0"}).figure_cache is False
    assert Settings.from_env({}).figure_cache is True
    first, _ = _cache(tmp_path, monkeypatch, figure_cache=False)
    first.get(SNAP, None, ELECTION)
    assert not _files(tmp_path)
    second, compute = _cache(tmp_path, monkeypatch, figure_cache=False)
    second.get(SNAP, None, ELECTION)
    assert compute.calls == 1


def _page(base: str, path: str) -> httpx.Response:
    """``path`` as a logged-in admin of Sumatera Barat sees it."""
    with httpx.Client(base_url=base, timeout=120) as client:
        r = client.post("/login", data={"username": "sumbar", "password": PASSWORD}, follow_redirects=False)
        assert r.status_code == 303, r.text
        return client.get(path)


def _figures(page: httpx.Response) -> dict[str, str]:
    """The region page's figures: data-figure -> data-value."""
    assert page.status_code == 200, page.text[:500]
    found = dict(re.findall(r'data-figure="([a-z_]+)" data-value="([^"]*)"', page.text))
    assert "wajib" in found and "coverage_pct" in found
    return found


@pytest.mark.slow
def test_a_restarted_server_answers_with_the_figures_the_first_one_computed(home: Path, tmp_path: Path) -> None:
    """The second server runs with an engine that cannot compute anything (REKAM_ENGINE=nosuch):
    it answers the province page only from what the first one kept."""
    env = {k: v for k, v in os.environ.items() if k not in ("REKAM_DATABASE_URL", "REKAM_LANG", "REKAM_FIGURE_CACHE")}
    env.update(REKAM_HOME=str(home), REKAM_ELECTION_DATE=ELECTION.isoformat())
    server = Server(env, tmp_path / "serve.log", deadline_s=60, ready_path="/login")
    server.start()
    try:
        before = _figures(_page(server.url, "/wilayah/13"))
    finally:
        server.stop()
    assert _files(home)

    server.env = {**env, "REKAM_ENGINE": "nosuch"}
    server.start()
    try:
        after = _figures(_page(server.url, "/wilayah/13"))
        never_computed = _page(server.url, "/wilayah/13?as_of=2024-11-20")
    finally:
        server.stop()
    assert after == before
    assert never_computed.status_code != 200  # this server computes nothing: what it showed was kept
