"""A partial or correction file taken for a whole export: a kab/kota that would lose more than
10 % of its rows is not replaced without --force; --dry-run shows the comparison and writes nothing."""

from __future__ import annotations

from tests.conftest import person, write_register

from rekam.config import Settings
from rekam.register.importer import REPLACE_MAX_LOSS
from rekam.register.store import Store


def test_a_partial_file_is_refused_shown_in_a_dry_run_and_taken_with_force(cli, tmp_path):
    whole = write_register(tmp_path / "whole.csv", [person(i, "1990-01-01") for i in range(1, 101)])
    assert cli("import", whole, "--date", "2024-11-13").code == 0
    store = Store(Settings.from_env().home)
    first = store.require_current()
    # 100 -> 90 rows is exactly the limit: allowed (people move and die); 100 -> 89 is not.
    assert REPLACE_MAX_LOSS == 0.10
    ninety = write_register(tmp_path / "ninety.csv", [person(i, "1990-01-01") for i in range(1, 91)])
    eightynine = write_register(tmp_path / "e.csv", [person(i, "1990-01-01") for i in range(1, 90)])
    dry = cli("import", eightynine, "--date", "2024-11-20", "--dry-run", "--json")
    assert dry.code == 0 and dry.json()["dry_run"] is True
    assert dry.json()["comparison"] == [
        {"kab_code": "13.71", "rows_before": 100, "rows_after": 89, "change_pct": -11.0, "shrinks": True}
    ]
    assert store.require_current().id == first.id and len(store.all()) == 1  # nothing written
    refused = cli("import", eightynine, "--date", "2024-11-20")
    assert refused.code == 1 and "13.71: 100 -> 89" in refused.err and "Traceback" not in refused.err
    assert store.require_current().id == first.id and len(store.all()) == 1
    assert cli("import", ninety, "--date", "2024-11-20").code == 0
    assert store.require_current().rows == 90
    assert cli("import", eightynine, "--date", "2024-11-27", "--force").code == 0
    assert store.require_current().rows == 89


def test_a_new_kab_kota_is_compared_as_new(cli, tmp_path):
    a = write_register(tmp_path / "a.csv", [person(i, "1990-01-01") for i in range(1, 6)])
    assert cli("import", a, "--date", "2024-11-13").code == 0
    other = person(1, "1990-01-01").replace("1371", "1372").replace(",71,", ",72,")
    b = write_register(tmp_path / "b.csv", [other])
    dry = cli("import", b, "--date", "2024-11-20", "--dry-run", "--json").json()
    assert [c["rows_before"] for c in dry["comparison"]] == [None]


def test_rollback_from_the_command_line_is_scoped_and_audited(cli, tmp_path):
    from rekam import audit
    from rekam.ops import users
    from rekam.ops.db import close_all, open_db

    settings = Settings.from_env()
    users.add_user(open_db(settings=settings), "kadis-agam", "kata-sandi-yang-panjang-sekali-9", "dinas", "13.06")
    close_all()
    a = write_register(tmp_path / "a.csv", [person(i, "1990-01-01") for i in range(1, 6)])
    assert cli("import", a, "--date", "2024-11-13").code == 0
    assert cli("import", a, "--date", "2024-11-20").code == 0
    refused = cli("snapshots", "rollback", "--user", "kadis-agam")
    assert refused.code == 1 and "13.06" in refused.err and "Traceback" not in refused.err
    assert Store(settings.home).require_current().export_date.isoformat() == "2024-11-20"
    assert cli("snapshots", "rollback").code == 0
    assert Store(settings.home).require_current().export_date.isoformat() == "2024-11-13"
    [entry] = [e for e in audit.entries(settings.home) if e["action"] == "rollback"]
    assert entry["kab_codes"] == ["13.71"] and entry["to"].endswith("20241113")
