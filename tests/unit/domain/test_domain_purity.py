"""domain/ is pure: standard library only, no I/O, and a tested ``__all__``."""

import ast
import sys
from pathlib import Path

import rekam.domain

DOMAIN = Path(rekam.domain.__file__).parent
FORBIDDEN_CALLS = {"open", "print", "input", "exec", "eval", "__import__"}


def _modules() -> list[Path]:
    files = sorted(DOMAIN.glob("*.py"))
    assert len(files) >= 8
    return files


def test_imports_are_stdlib_or_domain_only() -> None:
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path.name}: use absolute imports"
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                inside = name == "rekam.domain" or name.startswith("rekam.domain.")
                assert inside or (top in sys.stdlib_module_names and top not in {"os", "io", "pathlib"}), (
                    f"{path.name} imports {name}"
                )


def test_no_io_calls() -> None:
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in FORBIDDEN_CALLS, f"{path.name}: {node.func.id}()"


def test_all_is_exported() -> None:
    names = rekam.domain.__all__
    assert len(set(names)) == len(names)
    for name in names:
        assert hasattr(rekam.domain, name), name
    assert {"parse_nik", "RegionCode", "classify_status", "is_wajib_ktp"} <= set(names)
