"""What every request needs: the settings, the ops database, the signing key, the figure
cache, the user and their language; and the scope checks the pages and the API share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from fastapi import Request

from rekam.api import Rekam, region_prefix
from rekam.config import Settings
from rekam.errors import InvalidArgument, PermissionDenied
from rekam.ops import scope
from rekam.ops.db import OpsDB, open_db
from rekam.ops.models import User
from rekam.register.store import Store
from rekam.web import auth
from rekam.web.figures import FigureCache
from rekam.web.imports import ImportJobs
from rekam.web.replan import ReplanJobs
from rekam.web.text import LANGS

#: Roles that may see by-name data (lists, quarantine): not the counter operator, who has the
#: counter's own lookup.
BY_NAME_ROLES = ("admin-pusat", "admin-provinsi", "dinas")


@dataclass
class WebState:
    settings: Settings

    @cached_property
    def rekam(self) -> Rekam:
        """The library session of the web app: built once, on its settings."""
        return Rekam(self.settings)

    @cached_property
    def db(self) -> OpsDB:
        return open_db(settings=self.settings)

    @cached_property
    def key(self) -> str:
        return auth.secret_key(self.settings.home)

    @cached_property
    def figures(self) -> FigureCache:
        return FigureCache(self.rekam)

    @cached_property
    def imports(self) -> ImportJobs:
        def after_import() -> None:
            from rekam.web.warm import warm_up

            warm_up(self)

        return ImportJobs(self.settings, after=after_import)

    @cached_property
    def replans(self) -> ReplanJobs:
        """The re-plan button's jobs (web/replan.py)."""
        return ReplanJobs(self.rekam)

    @property
    def store(self) -> Store:
        return Store(self.settings.home)

    @property
    def election_date(self) -> date | None:
        return self.settings.election_date


def state(request: Request) -> WebState:
    return request.app.state.rekam  # type: ignore[no-any-return]


def language(request: Request) -> str:
    """?lang= (the page's switch, then remembered in a cookie), then the cookie; a program
    calling /api/ may also ask by Accept-Language. Otherwise Indonesian: the users are
    Indonesian offices, and a browser set to English is not a choice (issue 16)."""
    for value in (request.query_params.get("lang"), request.cookies.get("lang")):
        if value in LANGS:
            return value
    if request.url.path.startswith("/api/"):
        accept = request.headers.get("accept-language", "").lower()
        return "en" if accept.startswith("en") else "id"
    return "id"


def region_code(code: str | None) -> str | None:
    """A region from a path or query (dotted or plain; empty: the country), dotted."""
    return region_prefix(code) if code else None


def require_region(user: User, code: str | None) -> None:
    """Refuse (403) a region outside the user's scope; the operator sees no aggregates."""
    if not scope.may_region(user, code):
        raise PermissionDenied("web_forbidden_region", region=code or "Indonesia")


def require_by_name(user: User, code: str | None) -> None:
    require_region(user, code)
    if user.role not in BY_NAME_ROLES:
        raise PermissionDenied("web_forbidden_by_name")


def home_region(user: User) -> str | None:
    """Where a user lands: their own region (None: the country, for admin-pusat)."""
    return None if user.role == "admin-pusat" else user.region


def parse_day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidArgument("bad_date", option=option, value=value) from None
