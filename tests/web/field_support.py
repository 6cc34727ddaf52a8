"""Shared by the field tests that drive the app in-process (test_field_api, test_field_loop): a
copy of the web home holding a plan of Kota Padang whose sites stand in the desa that have people
not yet recorded (at scale 0.001 only a few do), and team leaders (role ``tim``) at keliling points."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD
from tests.web.test_teamday import padang_plan

from rekam.config import Settings

DAY = dt.date(2024, 11, 14)
ELECTION = dt.date(2024, 11, 27)


def make_field_home(
    web_home: Path, home: Path, plan_name: str, leaders: Mapping[str, tuple[str, str]], ikd: bool = False
) -> Path:
    """``home``: a copy of ``web_home``, the plan ``plan_name`` from ``DAY`` (with the IKD cohort's
    weight when ``ikd``, so that the devices get belum-ikd lists too), a keliling point per
    leader's point and the leaders ({name: (point, team)})."""
    from rekam.api import Rekam
    from rekam.ops import points, users
    from rekam.ops.db import close_all, open_db

    shutil.copytree(web_home, home)
    (home / "plans").mkdir(exist_ok=True)
    plan = padang_plan(DAY)
    if ikd:
        plan["weights"] = {**(plan.get("weights") or {}), "ikd": 1.0}
    listed, _ = Rekam(Settings(home=home)).list_people("belum-rekam", "13.71", DAY)
    desa = sorted({p.desa_code for p in listed})
    for i, site in enumerate(sorted(plan["sites"])):
        plan["sites"][site]["desa_code"] = desa[i % len(desa)]
    (home / "plans" / f"{plan_name}.json").write_text(json.dumps(plan), encoding="utf-8")
    db = open_db(settings=Settings(home=home))
    for point, team in sorted({(p, t) for p, t in leaders.values()}):
        points.add_point(db, point, f"Tim {team} Kota Padang", "13.71", "keliling")
    for name, (point, team) in leaders.items():
        users.add_user(db, name, PASSWORD, "tim", None, point, team=team)
    close_all()
    return home


@contextmanager
def field_client(home: Path) -> Iterator[TestClient]:
    """The app on ``home`` (SQLite ops database, no figures kept on disk)."""
    from rekam.ops.db import close_all
    from rekam.web.app import create_app

    with TestClient(create_app(Settings(home=home, election_date=ELECTION, figure_cache=False))) as c:
        yield c
    close_all()
