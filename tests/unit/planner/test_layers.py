"""The planner's layers (issue #14): the solver core reads no register, and the itinerary
report opens no engine. Read from the source, so a lazy import inside a function counts too."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import rekam
from rekam.planner.inputs import default_election_date

SRC = Path(rekam.__file__).parent
CORE_MAY_IMPORT = ("rekam.domain", "rekam.errors", "rekam.planner")


def _imports(path: Path, skip_type_checking: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if skip_type_checking:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
                skipped.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {name for name in found if name.split(".")[0] == "rekam"}


def _core() -> list[Path]:
    return [p for p in sorted((SRC / "planner").rglob("*.py")) if p.name != "inputs.py"]


def test_the_solver_core_imports_nothing_above_domain():
    assert len(_core()) > 10
    for path in _core():
        for name in _imports(path):
            assert name.startswith(CORE_MAY_IMPORT), f"{path.relative_to(SRC)} imports {name}"
            assert not name.startswith("rekam.planner.inputs"), f"{path.relative_to(SRC)} imports {name}"


def test_the_top_benchmark_stands_apart_from_jemput_bola():
    for path in sorted((SRC / "planner" / "top").glob("*.py")):
        for name in _imports(path):
            shared = ("rekam.planner.highs", "rekam.planner.beside")  # HiGHS quiet; a bound in a second process
            assert name.startswith(("rekam.errors", "rekam.planner.top", *shared)), (path.name, name)


def test_bound_and_solve_import_no_circle():
    assert not any(n.startswith("rekam.planner.solve") for n in _imports(SRC / "planner" / "bound.py"))
    assert not any(n.startswith("rekam.planner.solve") for n in _imports(SRC / "planner" / "parts.py"))


def test_the_itinerary_report_reads_no_register_and_no_private_names():
    names = _imports(SRC / "reports" / "itinerary.py", skip_type_checking=True)
    assert not any(
        n.startswith(
            (
                "rekam.planner.inputs",
                "rekam.analytics.engines",
                "rekam.register.store",
                "rekam.sites",
                "rekam.config",
                "rekam.audit",
                "rekam.verifications",
            )
        )
        for n in names
    ), names
    assert not [n for n in names if n.rsplit(".", 1)[1].startswith("_")]


def test_election_day_defaults_to_the_day_after_the_period():
    assert default_election_date(dt.date(2024, 11, 26)) == dt.date(2024, 11, 27)
    assert default_election_date(dt.date(2024, 12, 31)) == dt.date(2025, 1, 1)
