"""Computing the first pages' figures before anyone asks: at ``rekam serve``'s start and after
an import from the web page, in a background thread (a cold province page costs several
passes over the register; a warm one milliseconds: benchmarks/README.md, "Dashboard").

After a restart the figures a previous process kept on disk (``web/kept.py``) are read back
instead: the warm-up then costs milliseconds and computes only what was never kept."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from rekam.web.views import ViewState, region_view


class WarmState(ViewState, Protocol):
    """What the warm-up reads of the web app's state (``web.context.WebState`` has it)."""

    @property
    def election_date(self) -> date | None: ...


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


def warm_up(state: WarmState) -> None:
    """Compute what the first pages need: the counter's look-ups first (``warm_desk``: well under a
    second), then the current snapshot's live figures (all levels; with
    the election date and without, as the API is asked; as of the latest desk service day,
    ``FigureCache.get``), each province's page (its ranking included) and its quality page.
    Nothing to do without a snapshot."""
    try:
        warm_desk(state)
    except Exception:  # noqa: BLE001 - a warm-up failure only means the first search waits
        pass
    try:
        snap = state.store.current()
        if snap is None:
            return
        figures = state.figures.get(snap, None, state.election_date)
        if state.election_date is not None:
            state.figures.get(snap, None, None)
        for row in figures.by_level["prov"]:
            region_view(state, row.region_code, None, state.election_date)
            state.figures.quality(snap, row.region_code, "kab")
    except Exception:  # noqa: BLE001 - a warm-up failure only means the first visitor waits
        return
