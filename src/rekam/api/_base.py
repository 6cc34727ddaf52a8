"""What every capability of the session shares: the settings, the register store, the ops database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rekam.config import Settings
from rekam.register.store import Store

if TYPE_CHECKING:
    from rekam.ops.db import OpsDB


class Base:
    """The settings of one session; the capability classes (``register.Register`` ...) add
    the methods and ``rekam.api.Rekam`` puts them together."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __repr__(self) -> str:
        return f"{type(self).__name__}(home={str(self.settings.home)!r})"

    def store(self) -> Store:
        """The versioned register store in REKAM_HOME."""
        return Store(self.settings.home)

    def ops_db(self) -> OpsDB:
        """The ops database (REKAM_DATABASE_URL, default SQLite ops.db in REKAM_HOME), migrated."""
        from rekam.ops.db import open_db

        return open_db(settings=self.settings)
