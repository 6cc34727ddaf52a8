"""The exception tree that ``rekam.errors`` documents is the classes' own, and every class is
exported (httpx's shape: a documented tree, a tested ``__all__``)."""

from __future__ import annotations

import re

import pytest

from rekam import errors


def _documented() -> list[tuple[int, str]]:
    """(depth, class name) for each line of the docstring's tree, in order."""
    tree = []
    for line in (errors.__doc__ or "").splitlines():
        match = re.match(r"^    ((?:[│ ]   )*)(?:[├└]── )?([A-Z]\w+)\s", line + " ")
        if match and ("── " in line or match.group(2) == "RekamError"):
            prefix = match.group(1)
            depth = len(prefix) // 4 + (0 if match.group(2) == "RekamError" else 1)
            tree.append((depth, match.group(2)))
    return tree


def _walk(cls: type, depth: int = 0) -> list[tuple[int, str]]:
    """(depth, class name) of ``cls`` and its subclasses, depth first, in definition order."""
    return [(depth, cls.__name__)] + [pair for sub in cls.__subclasses__() for pair in _walk(sub, depth + 1)]


def test_the_docstring_shows_the_real_tree():
    assert _documented() == _walk(errors.RekamError)


def test_every_error_is_exported():
    assert sorted(errors.__all__) == sorted(name for _, name in _walk(errors.RekamError))


@pytest.mark.parametrize(
    ("leaf", "group"),
    [
        (errors.IngestError, errors.InputError),
        (errors.InvalidArgument, errors.InputError),
        (errors.OpsInvalid, errors.InputError),
        (errors.UnknownRegion, errors.NotFound),
        (errors.OpsNotFound, errors.NotFound),
        (errors.SnapshotError, errors.NotFound),
        (errors.NotAuthenticated, errors.AccessError),
        (errors.LoginThrottled, errors.AccessError),
        (errors.PermissionDenied, errors.AccessError),
        (errors.OpsRefused, errors.Refused),
        (errors.EngineUnavailable, errors.Unavailable),
    ],
)
def test_a_group_catches_its_kinds_and_the_user_error_catches_all(leaf, group):
    with pytest.raises(group):
        raise leaf("bad_option", option="--x", value="y", hint="")
    assert issubclass(leaf, errors.RekamUserError)
