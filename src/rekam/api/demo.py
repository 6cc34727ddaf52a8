"""The synthetic Sumatera Barat data (register, sites, outside lists) and the demo's admin."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rekam.api._base import Base

if TYPE_CHECKING:
    from rekam.demo.generate import GenerateSummary, ProgressCallback
    from rekam.demo.outside import OutsideList


class Demo(Base):
    def demo_admin(self, username: str = "demo-admin") -> tuple[str, str]:
        """The demo's admin (admin-provinsi of Sumatera Barat) with a password generated now:
        made when missing, its password reset otherwise. Returns (username, password)."""
        from rekam.errors import OpsNotFound
        from rekam.ops import users

        password = secrets.token_urlsafe(12)
        db = self.ops_db()
        try:
            users.reset_password(db, username, password)
            users.set_disabled(db, username, False)
        except OpsNotFound:
            users.add_user(db, username, password, "admin-provinsi", "13")
        return username, password


def generate_demo(
    out_dir: str | Path,
    scale: float = 0.01,
    seed: int = 20241113,
    progress: ProgressCallback | None = None,
    history: Sequence[date] = (),
    provinces: str | Sequence[str] | None = None,
) -> GenerateSummary:
    """Write the synthetic Sumatera Barat register and its sites to ``out_dir``; ``history``:
    earlier days whose exports of the same register are written too (``demo.history``).
    ``provinces``: ``"all"``, ``"13,31,32"`` or a list of two-digit codes: those provinces'
    registers instead (each kab/kota scaled from its Dec 2024 population; docs/demo-data.md)."""
    from rekam.api.options import Checks
    from rekam.demo import generate
    from rekam.demo.generate import DEFAULT_AS_OF
    from rekam.demo.national import UnknownProvince, parse_provinces
    from rekam.errors import InvalidArgument

    chosen: tuple[str, ...] | None = None
    if provinces is not None:
        text = provinces if isinstance(provinces, str) else ",".join(provinces)
        try:
            chosen = parse_provinces(text)
        except UnknownProvince as exc:
            raise InvalidArgument("demo_bad_provinces", codes=", ".join(exc.codes)) from None

    checks = Checks()
    checks.require(0 < scale <= 50, "scale", scale, "0 < scale <= 50")
    for day in history:
        checks.require(day < DEFAULT_AS_OF, "history", day.isoformat(), f"< {DEFAULT_AS_OF.isoformat()}")
    checks.done()
    return generate(Path(out_dir), scale=scale, seed=seed, progress=progress, history=history, provinces=chosen)


def generate_outside_lists(
    register_dir: str | Path,
    out_dir: str | Path,
    level: str = "medium",
    rows: int = 1000,
    seed: int = 20241113,
    kinds: Sequence[str] | None = None,
) -> list[OutsideList]:
    """Write synthetic outside lists (sekolah, dpt, lapas) and their truth files from the demo
    register in ``register_dir`` (DIR/siak) to ``out_dir``; one ``OutsideList`` per kind.
    Rates and columns: docs/demo-data.md, "Outside lists for linkage"."""
    from rekam.demo.outside import KINDS
    from rekam.demo.outside import generate_outside_lists as _generate

    return list(_generate(Path(register_dir), Path(out_dir), level=level, rows=rows, seed=seed, kinds=kinds or KINDS))
