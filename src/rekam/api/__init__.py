"""The library's front door: every command of the CLI and every page of the web app is one call here.

A session holds the settings; its methods are the capabilities. The CLI and the web app each
build one, once, from ``Settings.from_env()`` (nothing below reads the environment):

    >>> from rekam.api import Rekam
    >>> from rekam.config import Settings
    >>> rekam = Rekam(Settings(home=Path("rekam-data")))
    >>> result = rekam.import_register(["siak_1371.csv"], export_date=date(2024, 11, 13))
    >>> rows = rekam.coverage(as_of=date(2024, 11, 13), level="kab")

By capability (one module each): ``register`` (import, snapshots, rollback, sites, purge),
``figures`` (coverage, progress, rank, quality, live), ``rakor`` (the evaluation report), ``lists`` (by-name lists, verify),
``plans`` (scenario, solve, check, itinerary), ``linkage`` (match, dedupe), ``desk`` (users,
service points, services, queue, blanko, reconciliation, follow-up, audit log), ``field`` (jemput
bola in the field: devices, a team's people, outcomes), ``blanko``
(the daily print cap, the day's movements, the priority list), ``demo``.
The few calls that need no settings are functions here too. Options are checked in the
library's own words, every problem of a request at once (``options.InvalidOptions``).
"""

from __future__ import annotations

from rekam.api import blanko as _blanko
from rekam.api import demo as _demo
from rekam.api import desk as _desk
from rekam.api import field as _field
from rekam.api import figures as _figures
from rekam.api import linkage as _linkage
from rekam.api import lists as _lists
from rekam.api import plans as _plans
from rekam.api import rakor as _rakor
from rekam.api import register as _register
from rekam.api.demo import generate_demo, generate_outside_lists
from rekam.api.options import region_prefix, target_hundredths
from rekam.api.plans import SolvedPlan, check_plan_file, itinerary_notes, solve_top_file

__all__ = [
    "Rekam",
    "SolvedPlan",
    "check_plan_file",
    "generate_demo",
    "generate_outside_lists",
    "itinerary_notes",
    "region_prefix",
    "solve_top_file",
    "target_hundredths",
]


class Rekam(
    _register.Register,
    _rakor.Rakor,
    _figures.Figures,
    _field.Field,
    _lists.Lists,
    _plans.Plans,
    _linkage.Linkage,
    _desk.Desk,
    _blanko.Blanko,
    _demo.Demo,
):
    """One session of the library on ``settings`` (REKAM_HOME, the engine, the ops database ...).

    ``Rekam(settings).coverage(...)``, ``.import_register(...)``, ``.log_service(...)``: each
    command of the CLI is one method call on the session the CLI built at start."""
