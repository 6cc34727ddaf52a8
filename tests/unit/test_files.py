"""rekam.files: whole-or-nothing writes, private modes, the CURRENT pointer of a versioned folder."""

from __future__ import annotations

import stat

import pytest

from rekam.files import Pointer, atomic_path, private_dir, write_atomic


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_atomic_text_and_bytes_private(tmp_path):
    write_atomic(tmp_path / "a.txt", "Jl. Sudirman — Padang\n")
    write_atomic(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "Jl. Sudirman — Padang\n"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert _mode(tmp_path / "a.txt") == _mode(tmp_path / "b.bin") == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin"]  # no temporary file left


def test_write_atomic_replaces_a_readable_file_with_a_private_one(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o644)
    write_atomic(target, "new")
    assert target.read_text() == "new" and _mode(target) == 0o600


def test_atomic_path_leaves_the_old_file_when_the_writer_fails(tmp_path):
    target = tmp_path / "list.xlsx"
    target.write_text("previous")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["list.xlsx"]


def test_atomic_path_for_a_writer_that_makes_the_file_anew(tmp_path):
    target = tmp_path / "index.parquet"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and _mode(tmp) == 0o600  # private before a byte is written
        tmp.unlink()
        tmp.write_bytes(b"PAR1")
        tmp.chmod(0o644)
    assert target.read_bytes() == b"PAR1" and _mode(target) == 0o600


def test_private_dir_makes_parents_0700(tmp_path):
    made = private_dir(tmp_path / "home" / "sites" / "tmp-0001")
    for d in (made, made.parent, made.parent.parent):
        assert _mode(d) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    assert _mode(private_dir(loose)) == 0o700


def test_pointer(tmp_path):
    pointer = Pointer(tmp_path)
    assert pointer.read() is None
    pointer.set("0002-20241113")
    assert pointer.read() == "0002-20241113"
    assert (tmp_path / "CURRENT").read_text() == "0002-20241113\n" and _mode(tmp_path / "CURRENT") == 0o600
    (tmp_path / "CURRENT").write_text("\n")
    assert pointer.read() is None
