"""The figures the pages and the API show, computed once per snapshot and date (issue #7).

A page must render in a second at Sumatera Barat scale, and one engine query over 5.8 M rows
takes longer than that, so the coverage of every level is computed in one query
(``Rekam.coverage_levels``: the same function as ``rekam coverage``) the first time a snapshot and
date are asked for, and kept. A new import makes a new snapshot id, so nothing stale is served.

Live by default (issue #16): the figures include the services completed at the desks since the
snapshot's export date (``analytics.live``), and without a date asked for they are as of the
latest such service day (``live_as_of``), so a service logged today counts today. A logged
service changes the cache key (``Desk.stamp``), and the figures are computed anew: in the
request when none were computed for that snapshot and date yet, else in the background while
requests get the previous ones (labelled with their own count), so a page stays as fast as a
cached one while the desks log services. ``live=False`` gives the snapshot alone, as of its
export date.

Kept on disk (issue #16, ``web/kept.py``): each value computed here (the figures, a province's
ranking, the per-child progress, the quality rows), and the newest per key without its desk
stamp, is also written under ``REKAM_HOME/cache/figures/`` and read back before computing, so a
restarted server or another worker answers at once with what one process computed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast
from zoneinfo import ZoneInfo

from rekam.analytics.coverage import LEVELS, CoverageRow
from rekam.register.store import Snapshot
from rekam.web.kept import MISSING, Kept
from rekam.web.limits import Expensive

if TYPE_CHECKING:
    from rekam.analytics.coverage import Level
    from rekam.api import Rekam

T = TypeVar("T")

#: Indonesia's easternmost time zone (WIT): the latest local date a desk can log a service on.
LATEST_ZONE = "Asia/Jayapura"


@dataclass(frozen=True)
class Desk:
    """The desk's completed services (for a NIK in the register) since a snapshot's export date:
    per service day, (day, count, latest event id), by day. One grouped query (``FigureCache.desk``)."""

    days: tuple[tuple[date, int, int], ...] = ()

    def until(self, day: date) -> Desk:
        """The services dated on or before ``day`` (those an as-of of ``day`` can count)."""
        return Desk(tuple(d for d in self.days if d[0] <= day))

    @property
    def count(self) -> int:
        return sum(n for _, n, _ in self.days)

    @property
    def stamp(self) -> tuple[int, int]:
        """(count, latest id): changes whenever a service is logged; (0, 0) with none."""
        return (self.count, max((i for _, _, i in self.days), default=0))

    @property
    def latest(self) -> date | None:
        return self.days[-1][0] if self.days else None


def live_as_of(snapshot: Snapshot, desk: Desk, today: date | None = None) -> date:
    """The as-of of live figures when none is asked for: the latest day a service was completed
    at a desk since the snapshot, never before the export date nor after today; the export date
    when there is none (then live and snapshot figures are the same). A service's date is the
    service point's local date, so "today" is today in Indonesia's easternmost zone (WIT,
    UTC+9): a server on UTC is still on yesterday when Padang's desks open."""
    if desk.latest is None:
        return snapshot.export_date
    return max(snapshot.export_date, min(desk.latest, today or datetime.now(ZoneInfo(LATEST_ZONE)).date()))


@dataclass(frozen=True)
class Figures:
    """Coverage of every region of a snapshot as of a date, by level and by code.

    ``live``: with the desk's services since the snapshot; ``desk``: those services (completed,
    NIK in the register, dated from the export date to ``as_of``): the label's count. A service
    for someone already recorded is counted there though it moves no coverage figure."""

    snapshot: Snapshot
    as_of: date
    by_level: dict[str, list[CoverageRow]]
    live: bool = False
    desk: Desk = Desk()

    @property
    def desk_services(self) -> int:
        return self.desk.count if self.live else 0

    def row(self, code: str | None) -> CoverageRow | None:
        """The row of region ``code`` (None: the whole register, summed over provinces)."""
        if code is None:
            return None
        level = LEVELS[len(code.split(".")) - 1]
        return next((r for r in self.by_level[level] if r.region_code == code), None)

    def desa_in(self, code: str) -> list[CoverageRow]:
        """The desa rows of region ``code``, a desa's own included (the map's dots)."""
        return [r for r in self.by_level["desa"] if r.region_code == code or r.region_code.startswith(code + ".")]

    def children(self, code: str | None) -> list[CoverageRow]:
        """The rows one level below ``code`` (None: the provinces), in code order."""
        if code is None:
            return sorted(self.by_level["prov"], key=lambda r: r.region_code)
        depth = len(code.split("."))
        if depth >= len(LEVELS):
            return []
        return sorted(
            (r for r in self.by_level[LEVELS[depth]] if r.region_code.startswith(code + ".")),
            key=lambda r: r.region_code,
        )


def _give_back() -> None:
    """Hand the memory freed by a refresh back to the system (glibc's ``malloc_trim``): a refresh
    builds a new set of figures and drops the one it replaces, and the allocator otherwise keeps
    the freed pages, so a worker's memory grew over the soak (issue 21). Nothing elsewhere."""
    global _trim
    if _trim is None:
        try:
            import ctypes

            _trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _trim = False
    if _trim:
        _trim(0)


_trim: Any = None


class FigureCache:
    """``Figures`` per (snapshot, as-of date, election date, target), computed on first use.

    A cached value is returned at once, never behind a computation: ``_lock`` guards only the
    dictionaries. Computations run one at a time (``_compute``: one engine pass over the
    register at a time, within the engine's memory limit); a request for figures being
    computed waits for them, then finds them cached. (Measured at Sumatera Barat scale: with
    one lock for both, a cached page waited 12 s behind another user's new date.)
    """

    def __init__(self, rekam: Rekam) -> None:
        self.rekam = rekam
        self.settings = rekam.settings
        self._lock = threading.Lock()
        self._compute = threading.Lock()
        self._cache: dict[tuple[str, date, date | None, int, bool, tuple[int, int]], Figures] = {}
        self._other: dict[tuple[object, ...], object] = {}
        # The newest value per key without its desk stamp, with that stamp's last id: served
        # while the value of a newer desk state is computed in the background (``fresh``).
        self._newest: dict[tuple[object, ...], tuple[int, Any]] = {}
        # The background refreshes (``_refresh``): one thread per base, the newest state asked
        # of each, and when each base was last refreshed (time.monotonic()).
        self._refreshing: dict[tuple[object, ...], threading.Thread] = {}
        self._wanted: dict[tuple[object, ...], tuple[tuple[object, ...], Callable[[], Any]]] = {}
        self._refreshed: dict[tuple[object, ...], float] = {}
        self._hurry = threading.Event()  # set by ``settle``: no pause between refreshes
        self._rest_until = 0.0  # no background refresh starts before (``_refresh_to``)
        self.kept = Kept(self.settings.home, self.settings.figure_cache, database_url=self.settings.database_url)
        self.limits = Expensive(self.settings.expensive_per_minute, self.settings.expensive_at_once)

    def _once(self, store: dict[Any, Any], key: Any, compute: Callable[[], T], limit: int, admit: bool = False) -> T:
        """``store[key]``, else ``compute()`` once (one computation at a time); ``admit``: a
        pass over the register, asked of ``limits`` first when in a request."""
        with self._lock:
            if key in store:
                return store[key]  # type: ignore[no-any-return]
        with self.limits.admit() if admit else nullcontext(), self._compute:
            with self._lock:
                if key in store:  # computed while this request waited
                    return store[key]  # type: ignore[no-any-return]
            value = compute()
            with self._lock:
                if len(store) > limit:
                    store.clear()
                store[key] = value
            return value

    def get(
        self,
        snapshot: Snapshot,
        as_of: date | None = None,
        election_date: date | None = None,
        target: float = 99.4,
        live: bool = True,
    ) -> Figures:
        """``live``: the snapshot plus the desk's services since (``Rekam.coverage_levels(live=True)``),
        recomputed when a service is logged (the key holds ``Desk.stamp``). ``as_of`` None: the
        live as-of (``live_as_of``), or the export date for the snapshot alone."""
        desk = self.desk(snapshot) if live else Desk()
        if as_of is None:
            as_of = live_as_of(snapshot, desk) if live else snapshot.export_date
        desk = desk.until(as_of)
        base = (snapshot.id, as_of, election_date, int(round(target * 100)), live)

        def compute() -> Figures:
            by_level = self.rekam.coverage_levels(
                as_of,
                LEVELS,
                None,
                snapshot.id,
                election_date,
                target,
                live=live and desk.count > 0,
                live_up_to=desk.stamp[1],  # the services the label counts, not one logged meanwhile
            )
            return Figures(snapshot, as_of, {k: list(v) for k, v in by_level.items()}, live, desk)

        return self.fresh(self._cache, 32, base, desk.stamp, compute)

    def fresh(
        self,
        store: dict[Any, Any],
        limit: int,
        base: tuple[object, ...],
        stamp: tuple[int, int],
        compute: Callable[[], T],
    ) -> T:
        """The value of ``(*base, stamp)`` in ``store``: cached, else computed in this request
        when nothing was computed for ``base`` yet, else (a service was logged since) the newest
        value of ``base`` at once while a newer one is computed in the background (``_refresh``)."""
        key = (*base, stamp)
        kind = "figures" if store is self._cache else "other"

        def computed() -> T:
            with self.kept.computing((kind, *key)):  # another worker computing it: wait, then read it
                value = self.kept.get((kind, *key))
                if value is MISSING:
                    value = compute()
                    self.kept.put((kind, *key), value)
            self._note_newest(kind, base, stamp, value)
            return value  # type: ignore[no-any-return]

        with self._lock:
            if key in store:
                return store[key]  # type: ignore[no-any-return]
            older = self._newest.get(base)
        found = self.kept.get((kind, *key))  # outside the locks: a read of a few milliseconds
        if found is not MISSING:
            self._store(store, limit, key, found)
            self._note_newest(kind, base, stamp, found, keep=False)
            return found  # type: ignore[no-any-return]
        if older is None:
            newest = self.kept.get(("newest", kind, *base))
            if newest is not MISSING:
                older = (newest[0], newest[1])
                with self._lock:
                    self._newest.setdefault(base, older)
        if older is None:
            return self._once(store, key, computed, limit, admit=True)
        self._refresh(kind, store, limit, base, key, compute)
        return older[1]  # type: ignore[no-any-return]

    def _store(self, store: dict[Any, Any], limit: int, key: tuple[object, ...], value: Any) -> None:
        with self._lock:
            if len(store) > limit:
                store.clear()
            store[key] = value

    def _note_newest(
        self, kind: str, base: tuple[object, ...], stamp: tuple[int, int], value: Any, keep: bool = True
    ) -> None:
        """``value`` as the newest of ``base`` unless a newer desk state's is known; kept on
        disk too (``keep``), with the time it was computed, so that a restarted server serves it
        at once (``fresh``) and another worker takes it rather than computing (``_refresh_to``)."""
        store = self._cache if kind == "figures" else self._other
        with self._lock:
            older = self._newest.get(base)
            if older is not None and older[0] > stamp[1]:
                return
            if len(self._newest) > 128:
                self._newest.clear()
            self._newest[base] = (stamp[1], value)
            # An older desk state of the same base is never asked for again (the desk stamp only
            # grows): dropped, so the memory holds one value per base rather than one per service
            # logged (at Sumatera Barat scale a set of figures is about 5 MB as Python objects;
            # the soak's workers grew by 300 MB filling 32 of them).
            for old in [k for k in store if len(k) == len(base) + 1 and k[:-1] == base and k[-1] != stamp]:
                del store[old]
        if keep:
            self.kept.put(("newest", kind, *base), (stamp[1], value, time.time()))

    def _refresh(
        self,
        kind: str,
        store: dict[Any, Any],
        limit: int,
        base: tuple[object, ...],
        key: tuple[object, ...],
        compute: Callable[[], Any],
    ) -> None:
        """Bring ``base``'s value up to the desk state of ``key`` in the background.

        One thread per ``base`` at a time, which computes the newest state asked for (not each
        one in turn), at most once in ``REKAM_LIVE_REFRESH_SECONDS``, and takes the value another
        worker kept within that time instead of passing over the register again. (Issue 21,
        measured in the soak: with a thread per logged service, each waiting its turn to pass
        over the register, a worker held 133 threads, its memory grew and a page waited minutes.)"""
        with self._lock:
            self._wanted[base] = (key, compute)
            if base in self._refreshing:
                return
            thread = threading.Thread(
                target=self._refresh_loop, args=(kind, store, limit, base), name="rekam-live-figures", daemon=True
            )
            self._refreshing[base] = thread
        thread.start()

    def _refresh_loop(self, kind: str, store: dict[Any, Any], limit: int, base: tuple[object, ...]) -> None:
        interval = self.settings.live_refresh_seconds
        while True:
            last = self._refreshed.get(base)
            if last is not None and not self._hurry.is_set():
                self._hurry.wait(last + interval - time.monotonic())
            with self._lock:
                wanted = self._wanted.pop(base, None)
                if wanted is None:
                    self._refreshing.pop(base, None)
                    return
            try:
                self._refresh_to(kind, store, limit, base, *wanted, interval)
            except Exception:  # noqa: BLE001 - the newest value stays; the next request tries again
                pass
            with self._lock:
                if len(self._refreshed) > 256:
                    self._refreshed.clear()
                self._refreshed[base] = time.monotonic()

    def _refresh_to(
        self,
        kind: str,
        store: dict[Any, Any],
        limit: int,
        base: tuple[object, ...],
        key: tuple[object, ...],
        compute: Callable[[], Any],
        interval: float,
    ) -> None:
        """Compute ``key``'s value unless another worker kept one of ``base`` for this desk state
        or newer, or one newer than this worker's within ``interval`` seconds: then take that one. The workers' lock is taken
        after ``_compute``, as in ``_once``, so the two never wait on each other in turn.

        The refreshes of every base and worker take one lock (one at a time on the server, so
        at most one core), and a process rests as long as its last refresh took before the next
        (at most half of that core): with many pages open under the desks' load (each kab/kota's
        progress is a base of its own) the refreshes never take the cores from the requests."""
        stamp = cast("tuple[int, int]", key[-1])
        rest = self._rest_until - time.monotonic()
        if rest > 0 and not self._hurry.is_set():
            self._hurry.wait(rest)
        with self._compute, self.kept.computing(("refresh",)):
            with self._lock:
                if key in store:
                    return
                ours = self._newest.get(base, (-1, None))[0]
            newest = self.kept.get(("newest", kind, *base))
            if newest is not MISSING and (
                newest[0] >= stamp[1] or (newest[0] > ours and time.time() - newest[2] < interval)
            ):
                self._note_newest(kind, base, (0, newest[0]), newest[1], keep=False)
                return
            started = time.monotonic()
            value = compute()
            took = time.monotonic() - started
            self._rest_until = time.monotonic() + took
            self.kept.put((kind, *key), value)
            self._store(store, limit, key, value)
            self._note_newest(kind, base, stamp, value)
        _give_back()

    def settle(self, timeout: float = 300.0) -> None:
        """Wait for the background computations running now, without their pause between two
        refreshes (tests; the warm-up)."""
        self._hurry.set()
        try:
            with self._lock:
                running = list(self._refreshing.values())
            for thread in running:
                thread.join(timeout)
        finally:
            self._hurry.clear()

    def desk(self, snapshot: Snapshot) -> Desk:
        """The desk's completed services since the snapshot's export date, per day (``Desk``);
        none without an ops database."""
        from rekam.ops.db import configured

        if not configured(self.settings):
            return Desk()
        from sqlalchemy import func, select

        from rekam.ops.events import completed_since
        from rekam.ops.models import ServiceEvent

        with self.rekam.ops_db().read() as s:
            rows = s.execute(
                select(ServiceEvent.service_date, func.count(), func.max(ServiceEvent.id))
                .where(*completed_since(snapshot.export_date))
                .group_by(ServiceEvent.service_date)
                .order_by(ServiceEvent.service_date)
            ).all()
        return Desk(tuple((day, int(n), int(last)) for day, n, last in rows))

    def memo(self, key: tuple[object, ...], compute: Callable[[], T], keep: bool = False) -> T:
        """``compute()`` once per ``key`` (which should name the snapshot): rankings, quality.

        ``keep``: also kept on disk (``web/kept.py``) and read back before computing, for a value
        that depends on its key alone (the trend chart: drawn from the points in its key), so a
        restarted server or another worker does not draw it again (issue 21). The disk is read
        outside the computation lock: a kept chart never waits behind a pass over the register."""
        if not keep:
            return self._once(self._other, key, compute, 64)
        with self._lock:
            if key in self._other:
                return cast("T", self._other[key])
        found = self.kept.get(("memo", *key))
        if found is not MISSING:
            with self._lock:
                if len(self._other) > 64:
                    self._other.clear()
                self._other[key] = found
            return found  # type: ignore[no-any-return]

        def computed() -> T:
            value = compute()
            self.kept.put(("memo", *key), value)
            return value

        return self._once(self._other, key, computed, 64)

    def ranking(self, base: tuple[object, ...], stamp: tuple[int, int], compute: Callable[[], T]) -> T:
        """A province's ranking (``Rekam.rank``) for figures of desk state ``stamp``; as the
        figures, the newest while a newer one is computed in the background (``fresh``)."""
        return self.fresh(self._other, 64, base, stamp, compute)

    def of_outcomes(self, base: tuple[object, ...], outcomes: int, compute: Callable[[], T]) -> T:
        """A plan's value from its field outcomes and the register (its result, the turnout
        learned): ``base`` names the snapshot and the plan, ``outcomes`` counts the outcomes
        logged for it (they are only ever added). As the figures: the newest while a newer one
        is computed in the background (``fresh``). (Issue 21: the plan page passed over the
        register at each view, 3.6 s at Sumatera Barat scale.)"""
        return self.fresh(self._other, 64, base, (outcomes, outcomes), compute)

    def quality(self, snapshot: Snapshot, region: str | None, level: str, live: bool = True) -> list[Any]:
        """``Rekam.quality`` of a region's children at ``level`` (the quality page and API); live
        (the desa's coverage with the desk's services, as of the live as-of) unless ``live`` is False."""
        desk = self.desk(snapshot) if live else Desk()
        as_of = live_as_of(snapshot, desk)
        desk = desk.until(as_of)
        return self.fresh(
            self._other,
            64,
            ("quality", snapshot.id, region, level, as_of, live),
            desk.stamp,
            lambda: self.rekam.quality(
                level=cast("Level", level), region=region, as_of=as_of, live=live and desk.count > 0
            ),
        )

    def desa_coordinates(self, snapshot: Snapshot) -> dict[str, tuple[float, float]]:
        """desa code -> (lat, lon) of the imported sites data (the map), read once."""
        from rekam.web.mapsvg import desa_coordinates

        return self.memo(("coords", snapshot.id), lambda: desa_coordinates(self.settings.home))

    def trend(self, code: str | None, snapshots: list[Snapshot]) -> list[tuple[Snapshot, CoverageRow | None]]:
        """Region ``code``'s coverage in each snapshot, as of that snapshot's export date.

        The trend shows only wajib and coverage, which depend on neither the election date nor
        the target: figures already computed for the snapshot and date with any of those are
        reused (the page that asks for the trend has usually just computed the current one),
        which spares a second pass over the register."""
        ordered = sorted(snapshots, key=lambda s: (s.export_date, s.id))
        # Older snapshots as they were; the latest live, as the rest of the page.
        return [(s, self._any(s, s.export_date, s is ordered[-1]).row(code)) for s in ordered]

    def _any(self, snapshot: Snapshot, as_of: date, live: bool) -> Figures:
        with self._lock:
            found = next(
                (
                    f
                    for k, f in self._cache.items()
                    if k[0] == snapshot.id and k[1] == as_of and (live or k[5] == (0, 0))
                ),
                None,
            )
        return found or self.get(snapshot, as_of, live=live)  # outside the lock: get() takes it
