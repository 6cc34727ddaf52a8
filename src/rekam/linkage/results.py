"""A match result kept in REKAM_HOME for the decisions a person makes on its review rows (issue 18).

When ``rekam match`` writes a workbook, the run is kept in ``REKAM_HOME/matches/<id>/`` (0700,
files 0600):

- ``result.parquet``: the run's table (``match.RESULT_COLUMNS``, NIKs whole);
- ``review.json``: what the workbook's *Periksa* sheet was made from: per review row its list
  ID, its row in the list file and its candidates (ID, probability, what agreed, KTP-el status),
  the digests of the cells a returned sheet must still show (``review.IDENTITY``), and the
  secret the rows' keys are signed with (HMAC-SHA256: a key names the review row's number and
  proves it belongs to this result; it holds no NIK);
- ``decisions.json``: the decisions read back (``rekam match --decide``), one per review row:
  ``match`` with the chosen candidate or ``no_match``, who decided, when, from which workbook.

``check`` compares a returned sheet with the kept result and collects every problem with its
row and column; ``decide`` stores the decisions only when there is none (all or nothing), each
audited; a decision already stored is not stored (nor audited) again. ``decided_table`` is the
result with the decisions applied (``decided_by`` names who decided a row).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from rekam import audit
from rekam.files import atomic_path, private_dir, write_atomic
from rekam.linkage import review as _review

_ID = re.compile(r"[0-9a-f]{16}")
_KEY = re.compile(r"([0-9]+)-([0-9a-f]{10})(?:\.([0-9]+))?")


def _dir(home: Path, result: str) -> Path:
    return home / "matches" / result


@dataclass
class Kept:
    """A kept result: its id, secret, facts (list, against, kind, snapshot ...) and review rows."""

    id: str
    secret: str
    facts: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def _mac(self, text: str) -> str:
        return hmac.new(self.secret.encode(), text.encode("utf-8"), hashlib.sha256).hexdigest()

    def key(self, n: int) -> str:
        """The key of review row ``n`` (1-based): its number and an HMAC tag of this result."""
        list_id = self.rows[n - 1]["list_id"]
        return f"{n}-{self._mac(f'{self.id}:{n}:{list_id}')[:10]}"

    def digest(self, value: str) -> str:
        return self._mac("cell:" + value)[:12]


def new_id() -> str:
    return secrets.token_hex(8)


def keep(
    home: Path,
    result: str,
    table: pa.Table,
    review_rows: list[_review.ReviewRow],
    facts: dict[str, Any],
    *,
    ids_are_nik: bool,
    unmasked: bool,
) -> Kept:
    """Keep the result ``table`` and its review rows as ``result`` (``new_id``); returns it, whose
    ``key`` signs the rows of the sheet written from it."""
    kept = Kept(result, secrets.token_hex(16), facts | {"ids_are_nik": ids_are_nik, "unmasked": unmasked})
    kept.rows = [
        {
            "list_id": r.list_id,
            "list_row": r.list_row,
            "candidates": [
                {
                    "id": c.id,
                    "probability": c.probability,
                    "agreed": c.agreed,
                    "disagreed": c.disagreed,
                    "ktp_status": c.ktp_status,
                    "recording_state": c.recording_state,
                }
                for c in r.candidates
            ],
        }
        for r in review_rows
    ]
    for n, (r, entry) in enumerate(zip(review_rows, kept.rows, strict=True), start=1):
        entry["cells"] = {
            cells["kunci"]: {h: kept.digest(str(cells.get(h, ""))) for h in _review.IDENTITY if h in cells}
            for cells, _marks in _review.block(r, kept.key(n), ids_are_nik, unmasked)
        }
    folder = private_dir(_dir(home, result))
    import pyarrow.parquet as pq

    with atomic_path(folder / "result.parquet") as tmp:
        pq.write_table(table, tmp)
    payload = {"id": kept.id, "secret": kept.secret, "facts": kept.facts, "rows": kept.rows}
    write_atomic(folder / "review.json", json.dumps(payload, ensure_ascii=False, default=str))
    return kept


def load(home: Path, result: str) -> Kept | None:
    """The kept result ``result``, or None when there is none (or the id is no result id)."""
    if not _ID.fullmatch(result):
        return None
    path = _dir(home, result) / "review.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Kept(data["id"], data["secret"], data["facts"], data["rows"])


def stored_decisions(home: Path, result: str) -> dict[int, dict[str, Any]]:
    """The decisions stored for ``result``: review row number -> {decision, candidate, decided_by ...}."""
    path = _dir(home, result) / "decisions.json"
    if not path.is_file():
        return {}
    return {int(n): d for n, d in json.loads(path.read_text(encoding="utf-8")).items()}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one row of a returned sheet: its row (1-based) and column, a message key."""

    row: int
    column: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Checked:
    """A returned sheet against its kept result: the decisions (review row -> candidate, 0 for
    ``bukan``), the problems, and the review rows read (``rows``) and refused."""

    decisions: dict[int, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    refused: int = 0


def check(kept: Kept, sheet: list[_review.SheetRow]) -> Checked:
    """Every row of the returned sheet against ``kept``: its key must be one of this result's
    (once), the cells of ``review.IDENTITY`` as written, a decision only on a list row, one of
    its drop-down's words, naming a candidate the row has."""
    out = Checked()
    seen: dict[str, int] = {}
    read: set[int] = set()  # review rows read (a list row, or a candidate row of it)
    refused: set[int] = set()
    strays = 0  # rows whose key is no key of this result: read and refused, no review row of their own

    def problem(p: Problem, n: int | None) -> None:
        nonlocal strays
        out.problems.append(p)
        if n is None:
            strays += 1
        else:
            refused.add(n)

    for s in sheet:
        key, word = s.cells.get("kunci", ""), s.cells.get("keputusan", "")
        m = _KEY.fullmatch(key)
        n = int(m.group(1)) if m else 0
        if m is None or not 1 <= n <= len(kept.rows) or key.split(".")[0] != kept.key(n):
            problem(Problem(s.row, "kunci", "review_foreign_key"), None)
            continue
        read.add(n)
        if key in seen:
            problem(Problem(s.row, "kunci", "review_duplicate_row", {"first": seen[key]}), n)
            continue
        seen[key] = s.row
        cells = kept.rows[n - 1]["cells"].get(key)
        if cells is None:  # a candidate number the row never had
            problem(Problem(s.row, "kunci", "review_foreign_key"), n)
            continue
        for column, digest in cells.items():
            if kept.digest(s.cells.get(column, "")) != digest:
                problem(Problem(s.row, column, "review_changed"), n)
        if m.group(3) is not None:
            if word:
                problem(Problem(s.row, "keputusan", "review_decision_on_candidate"), n)
            continue
        if not word:
            continue
        count = len(kept.rows[n - 1]["candidates"])
        chosen = _review.parse_decision(word, count)
        if chosen is None:
            problem(Problem(s.row, "keputusan", "review_bad_word", {"value": word[:40], "count": count}), n)
        elif chosen > count:
            problem(Problem(s.row, "keputusan", "review_no_candidate", {"value": word[:40], "count": count}), n)
        else:
            out.decisions[n] = chosen
    for n, k in out.decisions.items():
        if k and f"{kept.key(n)}.{k}" not in seen:
            problem(Problem(seen[kept.key(n)], "keputusan", "review_candidate_missing", {"candidate": k}), n)
    out.rows = len(read) + strays
    out.refused = len(refused) + strays
    return out


def decide(
    home: Path, kept: Kept, decisions: dict[int, int], workbook: str, as_user: str | None = None
) -> dict[str, int]:
    """Store ``decisions`` (review row -> candidate, 0 for ``bukan``) of a checked sheet, each new
    or changed one audited; returns {applied, unchanged, match, no_match}."""
    import fcntl

    folder = private_dir(_dir(home, kept.id))
    who = as_user or audit.current_user()
    with open(folder / "decisions.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two imports of one result: one after the other
        stored = stored_decisions(home, kept.id)
        fresh = {n: k for n, k in decisions.items() if n not in stored or stored[n]["candidate"] != k}
        now = datetime.now().astimezone().isoformat(timespec="seconds")
        for n, k in sorted(fresh.items()):
            row = kept.rows[n - 1]
            decision = "match" if k else "no_match"
            audit.record(
                home,
                "match_decide",
                as_user=as_user,
                result=kept.id,
                list=kept.facts.get("list"),
                list_row=row["list_row"],
                decision=decision,
                candidate=k or None,
                workbook=workbook,
            )
            stored[n] = {
                "list_id": row["list_id"],
                "decision": decision,
                "candidate": k,
                "decided_by": who,
                "decided_at": now,
                "workbook": workbook,
            }
        if fresh:
            write_atomic(
                folder / "decisions.json",
                json.dumps({str(n): d for n, d in sorted(stored.items())}, ensure_ascii=False),
            )
    chosen = [decisions[n] for n in decisions]
    return {
        "applied": len(fresh),
        "unchanged": len(decisions) - len(fresh),
        "match": sum(1 for k in chosen if k),
        "no_match": sum(1 for k in chosen if not k),
    }


def decided_table(home: Path, kept: Kept) -> pa.Table:
    """The kept result with its stored decisions applied: a decided row's ``decision`` is
    ``match`` (``match_nik`` the chosen candidate, with its probability, what agreed and its
    KTP-el status) or ``no_match``; ``decided_by`` names who decided it (empty for the model's)."""
    import pyarrow.parquet as pq

    table = pq.read_table(_dir(home, kept.id) / "result.parquet")
    by_list = {kept.rows[n - 1]["list_id"]: (n, d) for n, d in stored_decisions(home, kept.id).items()}
    rows = table.to_pylist()
    for r in rows:
        r["decided_by"] = None
        found = by_list.get(r["list_id"])
        if found is None:
            continue
        n, d = found
        r["decided_by"] = d["decided_by"]
        r["decision"] = d["decision"]
        if d["candidate"]:
            c = kept.rows[n - 1]["candidates"][d["candidate"] - 1]
            r |= {
                "match_nik": c["id"],
                "match_probability": c["probability"],
                "agreed": c["agreed"],
                "disagreed": c["disagreed"],
                "ktp_status": c["ktp_status"],
                "recording_state": c["recording_state"],
            }
        else:
            r |= {"match_nik": None, "agreed": None, "disagreed": None, "ktp_status": None, "recording_state": None}
    schema = table.schema.append(pa.field("decided_by", pa.string()))
    return pa.Table.from_pylist(rows, schema=schema)
