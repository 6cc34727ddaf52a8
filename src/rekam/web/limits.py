"""Limits on expensive requests (issue 21): a request that needs figures nobody computed yet.

A page or API call whose figures are cached in memory or kept on disk (``web/kept.py``)
answers in milliseconds and is never limited. One that needs new figures (a new as-of date, a
new target or election date, the first request for a new snapshot, a quality table never
asked for) makes the ``FigureCache`` pass over the register: seconds at a province's scale, on
a core. Two limits keep that from stalling the server (``FigureCache.fresh`` asks
``Expensive.admit`` before such a computation in a request):

- **per user**: at most ``REKAM_EXPENSIVE_PER_MINUTE`` (6) requests that compute in any 60
  seconds; the next is refused with 429 (``ComputeThrottled``) and Retry-After, the seconds
  until the oldest leaves the window. A request is counted once, however many values it
  computes (a cold province page computes the figures, the ranking and the progress).
- **per process**: at most ``REKAM_EXPENSIVE_AT_ONCE`` (2) requests computing or waiting for
  the engine (``FigureCache`` runs one pass at a time, within the engine's memory); another
  waits ``WAIT`` seconds for a slot, then is refused with 503 (``ServerBusy``) and Retry-After
  ``BUSY_RETRY``, instead of holding one of the server's worker threads for as long as the
  passes before it take (every page, cached ones too, needs a free thread).

A refusal computes nothing, stores nothing and writes no audit line (the figures hold no
personal data: nothing by name is read before the refusal). The counts are the process's: with
``rekam serve --workers N`` each worker counts on its own. What is not a request (the warm-up,
a background refresh after a desk service, the CLI) is never limited.

Who asks: ``RequestTicket`` (an ASGI middleware) gives each request a ``Ticket`` in a context
variable, and ``auth.user_of`` writes the user it checked into it (``note_user``). The context
is copied into the worker thread that runs the route, with the same ticket object in it.

A rate-limiting library (``limits``, ``slowapi``) was weighed: slowapi counts requests per
route, but what costs is a computation found deep in the figure cache, never a cached page;
``limits`` would give the sliding window only (a deque of times per user, here), and neither
has the concurrency slot with a short wait.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Final

from starlette.types import ASGIApp, Receive, Scope, Send

from rekam.errors import ComputeThrottled, ServerBusy

#: The window of the per-user count, seconds.
WINDOW: Final = 60.0
#: How long a request waits for a computing slot before its 503, seconds.
WAIT = 2.0
#: The 503's Retry-After, seconds (a pass at Sumatera Barat scale takes several).
BUSY_RETRY: Final = 10


@dataclass
class Ticket:
    """One request's: who asks (the user ``auth.user_of`` checked) and whether the request has
    been counted already."""

    who: str | None = None
    counted: bool = False


_ticket: ContextVar[Ticket | None] = ContextVar("rekam_request_ticket", default=None)


def note_user(username: str) -> None:
    """The request being served is ``username``'s (nothing outside a request)."""
    ticket = _ticket.get()
    if ticket is not None:
        ticket.who = username


class RequestTicket:
    """ASGI middleware: a fresh ``Ticket`` for each HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _ticket.set(Ticket())
        try:
            await self.app(scope, receive, send)
        finally:
            _ticket.reset(token)


class Expensive:
    """The two limits of one process (module docstring)."""

    def __init__(self, per_minute: int, at_once: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.at_once = at_once
        self.clock = clock
        self._slots = threading.BoundedSemaphore(at_once)
        self._lock = threading.Lock()
        self._recent: dict[str, deque[float]] = {}

    @contextmanager
    def admit(self) -> Iterator[None]:
        """Held around a computation in a request: refused with ``ComputeThrottled`` (429) when
        the user has had their count in the window, ``ServerBusy`` (503) when no slot frees
        within ``WAIT``; outside a request, nothing."""
        ticket = _ticket.get()
        if ticket is None:
            yield
            return
        who = ticket.who or "?"
        if not ticket.counted:
            self._check(who)
        if not self._slots.acquire(timeout=WAIT):
            raise ServerBusy("expensive_busy", BUSY_RETRY, limit=self.at_once)
        try:
            if not ticket.counted:
                self._count(who)  # checked again: another request of the same user may have come first
                ticket.counted = True
            yield
        finally:
            self._slots.release()

    def _recent_of(self, who: str, now: float) -> deque[float]:
        times = self._recent.setdefault(who, deque())
        while times and times[0] <= now - WINDOW:
            times.popleft()
        return times

    def _check(self, who: str) -> None:
        with self._lock:
            now = self.clock()
            times = self._recent_of(who, now)
            if len(times) >= self.per_minute:
                wait = max(1, math.ceil(times[0] + WINDOW - now))
                raise ComputeThrottled("expensive_throttled", wait, limit=self.per_minute)

    def _count(self, who: str) -> None:
        self._check(who)
        with self._lock:
            now = self.clock()
            self._recent_of(who, now).append(now)
            if len(self._recent) > 10_000:  # the windows of users gone quiet are over
                for name in [n for n, t in self._recent.items() if not t or t[-1] <= now - WINDOW]:
                    del self._recent[name]
