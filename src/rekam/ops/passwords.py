"""Password hashes: argon2id through argon2-cffi (the reference implementation's binding,
maintained by the PyCA/Hynek Schlawack), with its default parameters (RFC 9106 low-memory
profile). Hashes carry their parameters, so raising them later re-hashes on the next login.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()

MIN_LENGTH = 8


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)


# A hash to verify against when the user does not exist, so that a login for an unknown
# name takes as long as one with a wrong password.
DUMMY_HASH = _HASHER.hash("rekam-dummy-password")
