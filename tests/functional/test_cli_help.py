"""Every command has help with an example, and is documented: the test walks the real command
tree (Typer's Click group), so a new command is checked without editing a list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from rekam.cli import app

ROOT = Path(__file__).parents[2]
DOCS = "\n".join(p.read_text() for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def _walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """(words after ``rekam``, command) for the root, every group and every command, depth first.
    (Typer's Click commands; a group is the one with ``commands``.)"""
    found = [(path, command)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += _walk(sub, (*path, name))
    return found


def _group(command: Any) -> bool:
    return hasattr(command, "commands")


TREE = _walk(typer.main.get_command(app))
#: What a user runs: the commands, and the groups that do something without a sub-command.
RUNNABLE = [p for p, c in TREE if p and (not _group(c) or c.invoke_without_command)]
GROUPS = [p for p, c in TREE if not p or (_group(c) and not c.invoke_without_command)]


def test_the_tree_holds_every_command():
    """The walk finds what the hand-written list once missed (plan check, demo outside-lists)."""
    assert {("plan", "check"), ("demo", "outside-lists"), ("snapshots",), ("snapshots", "rollback")} <= set(RUNNABLE)
    assert len(RUNNABLE) >= 29


@pytest.mark.parametrize("command", RUNNABLE, ids=" ".join)
def test_command_has_help_with_an_example_and_is_documented(cli, command):
    run = cli(*command, "--help")
    assert run.code == 0
    assert "Example:" in run.out
    assert f"rekam {' '.join(command)}" in DOCS


@pytest.mark.parametrize("group", GROUPS, ids=lambda p: " ".join(p) or "rekam")
def test_group_has_help(cli, group):
    run = cli(*group, "--help")
    assert run.code == 0
    command = dict(TREE)[group]
    assert (command.help or "").strip()
    for name in getattr(command, "commands", {}):
        assert name in run.out
