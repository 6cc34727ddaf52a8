"""Password hashes: argon2id through argon2-cffi (the reference implementation's binding,
maintained by the PyCA/Hynek Schlawack), with its default parameters (RFC 9106 low-memory
profile). Hashes carry their parameters, so raising them later re-hashes on the next login.

The password policy (``problem``), for every path that sets a password (``rekam users add``,
``reset-password``, the library): at least ``MIN_LENGTH`` characters, not one character
repeated, not containing the user name, not one of the 30,000 most common passwords that
zxcvbn ships (its ``passwords`` frequency list, compiled by Dropbox from leaked password sets,
most common first), and its base (digits and punctuation stripped from both ends:
``Password2024!`` -> ``password``) not one of the 10,000 most common. The list is used, not
zxcvbn's score: a list gives a rule a user can be told in one sentence, and the same answer on
every version. (The base rule stops at 10,000 so that a rarer word with a suffix, e.g. the
test fixtures' ``rahasia-123``, rank 11,185, stays allowed; the length rule does the rest.)
"""

from __future__ import annotations

import string
import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()

#: Hashes computed or verified at once in a process. Each takes 64 MiB and 4 lanes (argon2-cffi's
#: defaults, RFC 9106's low-memory profile): 60 logins at once took 4 GB in the soak (issue 21;
#: OpenCRVS saw 150 logins at once crash a service). The others wait their turn: the memory
#: stays at most 128 MiB a process, and the cores stay with the requests already running.
AT_ONCE = 2
_turns = threading.BoundedSemaphore(AT_ONCE)

MIN_LENGTH = 10

_ENDS = string.digits + string.punctuation + string.whitespace


COMMON_BASES = 10_000


@cache
def common_passwords() -> tuple[frozenset[str], frozenset[str]]:
    """zxcvbn's 30,000 most common passwords (lower case), and the 10,000 most common of them;
    loaded on first use."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    ranked = FREQUENCY_LISTS["passwords"]
    return frozenset(ranked), frozenset(ranked[:COMMON_BASES])


def problem(password: str, username: str = "") -> tuple[str, dict[str, object]] | None:
    """What is wrong with ``password`` for ``username``: a message key and its parameters, or None."""
    if len(password) < MIN_LENGTH or not password.strip():
        return "ops_password_short", {"length": MIN_LENGTH}
    lower = password.lower()
    if len(set(lower)) == 1:
        return "auth_password_one_char", {}
    name = username.strip().lower()
    if len(name) >= 3 and name in lower:
        return "auth_password_username", {}
    common, bases = common_passwords()
    if lower in common or lower.strip(_ENDS) in bases:
        return "auth_password_common", {}
    return None


def hash_password(password: str) -> str:
    with _turns:
        return _HASHER.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        with _turns:
            return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)


# A hash to verify against when the user does not exist, so that a login for an unknown
# name takes as long as one with a wrong password.
DUMMY_HASH = _HASHER.hash("rekam-dummy-password")
