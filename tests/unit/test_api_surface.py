"""The front door's surface: ``rekam.api.__all__`` is its public names, the session holds the
settings it was given, and no module but ``config.py`` reads the environment."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import rekam
from rekam import api
from rekam.api import Rekam
from rekam.config import Settings
from rekam.errors import InvalidOptions

SRC = Path(rekam.__file__).parent


def test_all_is_the_public_names_defined_in_the_package() -> None:
    public = {
        name
        for name, value in vars(api).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("rekam.api")
    }
    assert sorted(api.__all__) == sorted(public)
    assert len(api.__all__) == len(set(api.__all__))


def test_no_capability_falls_back_to_the_environment() -> None:
    for path in (SRC / "api").glob("*.py"):
        assert "from_env(" not in path.read_text(encoding="utf-8").replace("``Settings.from_env()``", ""), path.name
    for name, method in inspect.getmembers(Rekam, inspect.isfunction):
        assert name == "__init__" or "settings" not in inspect.signature(method).parameters, name


def test_the_session_uses_the_settings_it_was_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REKAM_HOME", str(tmp_path / "elsewhere"))
    session = Rekam(Settings(home=tmp_path / "home"))
    assert session.store().home == tmp_path / "home"
    assert session.snapshots() == ([], None)


def test_every_bad_option_of_a_request_is_reported_at_once(tmp_path: Path) -> None:
    from datetime import date

    with pytest.raises(InvalidOptions) as caught:
        Rekam(Settings(home=tmp_path)).make_scenario(
            "13.71", date(2024, 11, 14), date(2024, 11, 1), teams=0, kits=0, weekdays="0-9", hours="x"
        )
    named = [option for option, _value, _hint in caught.value.problems]
    assert named == ["date_to", "teams", "kits", "weekdays", "hours"]
    assert "--" not in str(caught.value), "the library names its options in its own words"
    flags = caught.value.renamed({"date_to": "--to", "date_from": "--from", "teams": "--teams"})
    assert [o for o, _v, _h in flags.problems][:2] == ["--to", "--teams"] and ">= --from" in str(flags)


def test_only_config_reads_the_environment() -> None:
    reads = re.compile(r"\bos\.(environ|getenv)\b")
    found = sorted(
        str(path.relative_to(SRC)) for path in SRC.rglob("*.py") if reads.search(path.read_text(encoding="utf-8"))
    )
    assert found == ["config.py"]
