"""Computing the first pages' figures before anyone asks: at ``rekam serve``'s start and after
an import from the web page, in a background thread (a cold province page costs several
passes over the register; a warm one milliseconds: benchmarks/README.md, "Dashboard").

After a restart the figures a previous process kept on disk (``web/kept.py``) are read back
instead: the warm-up then costs milliseconds and computes only what was never kept. ``prepare``
runs before the server answers; ``rekam serve`` waits a moment for the figures of the warm-up
(``create_app``), so that a restarted server's first request finds them in memory (issue 21)."""

from __future__ import annotations

import threading
from datetime import date
from typing import TYPE_CHECKING, Protocol

from rekam.ops.db import OpsDB
from rekam.web.kept import code_digest
from rekam.web.mapsvg import TARGET
from rekam.web.views import ViewState, region_view, trend_svg

if TYPE_CHECKING:
    from jinja2 import Environment


class WarmState(ViewState, Protocol):
    """What the warm-up reads of the web app's state (``web.context.WebState`` has it)."""

    @property
    def election_date(self) -> date | None: ...

    @property
    def db(self) -> OpsDB: ...

    @property
    def key(self) -> str: ...


def warm_desk(state: WarmState) -> None:
    """Make the counter's first search as fast as its next ones: open the current snapshot's
    NIK-sorted copy (written at import; made here when missing), run a NIK look-up and a name
    search once (DuckDB plans them), load the status arrays a logged service reads, and import
    the desk's modules. Personal data is neither kept nor logged: the look-ups ask
    for a NIK and a name no one has."""
    from rekam.ops import events, lookup  # noqa: F401 - imported now, not on the first search

    directory = state.rekam.ops_directory()
    if directory.snapshot_id is None:
        return
    directory.find("0000000000000000")
    directory.search("~", date(1900, 1, 1), 1)
    directory.status("0000000000000000")


def prepare(state: WarmState, templates: Environment) -> None:
    """Before the server answers (``rekam serve``'s start, in each worker; issue 21): what a first
    request would otherwise pay on top of its own work. The ops database opened (its migration
    check imports alembic) and the signing key read, as every logged-in request needs them; the
    page templates compiled (Jinja, about 30 ms for the region page); the digest of rekam's code
    that names every kept figure (``kept.code_digest``). A failure (the ops database away) is
    left to the first request, which reports it as before."""
    for step in (lambda: state.db, lambda: state.key, code_digest):
        try:
            step()
        except Exception:  # noqa: BLE001 - the request that needs it says what is wrong
            pass
    for name in templates.list_templates(filter_func=lambda n: n.endswith(".html")):
        try:
            templates.get_template(name)
        except Exception:  # noqa: BLE001 - a template that does not compile fails its own page
            pass


def warm_up(state: WarmState, figures_done: threading.Event | None = None) -> None:
    """Compute what the first pages need: the current snapshot's live figures (all levels; with
    the election date and without, as the API is asked; as of the latest desk service day,
    ``FigureCache.get``), each province's page (its ranking and trend chart included), its
    quality page and the map's desa coordinates; then (``figures_done`` set) the counter's look-ups (``warm_desk``). Nothing
    to compute without a snapshot.

    After a restart every figure is read back from the disk (``web/kept.py``, tens of
    milliseconds) and the trend chart too, so matplotlib is not even imported. The figures come
    first: the counter's first search is as fast without ``warm_desk`` when the import wrote the
    NIK-sorted copy (benchmarks/README.md, issue 17), a province page is not (seconds)."""
    try:
        _warm_figures(state)
    except Exception:  # noqa: BLE001 - a warm-up failure only means the first visitor waits
        pass
    finally:
        if figures_done is not None:
            figures_done.set()
    try:
        warm_desk(state)
    except Exception:  # noqa: BLE001 - a warm-up failure only means the first search waits
        pass


def _warm_figures(state: WarmState) -> None:
    snap = state.store.current()
    if snap is None:
        return
    figures = state.figures.get(snap, None, state.election_date)
    if state.election_date is not None:
        state.figures.get(snap, None, None)
    for row in figures.by_level["prov"]:
        view = region_view(state, row.region_code, None, state.election_date)
        trend_svg(state, view, TARGET, state.settings.lang)  # as the page draws it, in the server's language
        state.figures.quality(snap, row.region_code, "kab")
    # The map's desa coordinates (the sites' Parquet: pyarrow and pandas imported, 0.5 s and more)
    state.figures.desa_coordinates(snap)
