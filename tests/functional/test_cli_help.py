"""Every command has help with an example, and is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
COMMANDS = [
    ["import"], ["coverage"], ["list"], ["verify"], ["progress"], ["rank"], ["quality"], ["snapshots"], ["snapshots", "rollback"],
    ["demo", "generate"], ["plan", "solve"], ["plan", "make"], ["plan", "itinerary"], ["sites", "import"],
    ["users", "add"], ["users", "list"], ["users", "disable"], ["users", "reset-password"],
    ["service-points", "add"], ["service-points", "list"], ["audit"],
    ["match"], ["serve"], ["demo", "serve"], ["sites", "boundaries"], ["tindak-lanjut"], ["purge"],
]  # fmt: skip
DOCS = "\n".join(p.read_text() for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_command_has_help_with_an_example_and_is_documented(cli, command):
    run = cli(*command, "--help")
    assert run.code == 0
    assert "Example:" in run.out
    assert f"rekam {' '.join(command)}" in DOCS
