"""Writing the demo files: RFC 4180 CSV (UTF-8, comma, LF, header row, quotes only where
needed) and the manifest.

pyarrow's CSV writer quotes every string value; SIAK-style exports quote only fields that need
it, so the lines are built with pyarrow compute (join the columns, quote the few fields that
contain a comma, a quote or a line break) and the string buffer is written as is. Output is
byte-for-byte deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Column = pa.Array | pa.ChunkedArray | np.ndarray

_NEEDS_QUOTES = '[,"\r\n]'
BATCH_ROWS = 250_000


def as_text(values: Column) -> pa.Array:
    """A column as CSV field text: numbers in plain decimal, nulls as empty strings."""
    if isinstance(values, np.ndarray):
        values = pa.array(values)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = pc.cast(values, pa.string())
    values = pc.fill_null(values, "")
    needs = pc.match_substring_regex(values, _NEEDS_QUOTES)
    if pc.any(needs).as_py():
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(values, '"', '""'), '"', "")
        values = pc.if_else(needs, quoted, values)
    return values


def _write_lines(f: BinaryIO, columns: Sequence[pa.Array]) -> None:
    if not columns or len(columns[0]) == 0:
        return
    body = pc.binary_join_element_wise(*columns, ",")
    body = pc.binary_join_element_wise(body, "", "\n")  # body + "\n" + ""
    chunks = body.chunks if isinstance(body, pa.ChunkedArray) else [body]
    for chunk in chunks:
        if pa.types.is_large_string(chunk.type):
            width, kind = 8, np.int64
        else:
            width, kind = 4, np.int32
        offsets = np.frombuffer(chunk.buffers()[1], dtype=kind, count=len(chunk) + 1, offset=chunk.offset * width)
        data = chunk.buffers()[2]
        f.write(memoryview(data)[int(offsets[0]) : int(offsets[-1])])


def write_csv(path: Path, header: Sequence[str], columns: Sequence[Column]) -> int:
    """Write columns (equal length) as CSV; returns the number of data rows."""
    if len(header) != len(columns):
        raise ValueError("header and columns differ in length")
    n = len(columns[0]) if columns else 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write((",".join(header) + "\n").encode("utf-8"))
        for lo in range(0, n, BATCH_ROWS):
            hi = min(lo + BATCH_ROWS, n)
            batch = [as_text(_slice(c, lo, hi)) for c in columns]
            _write_lines(f, batch)
    return n


def _slice(values: Column, lo: int, hi: int) -> Column:
    if isinstance(values, np.ndarray):
        return values[lo:hi]
    return values.slice(lo, hi - lo)


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    path.write_bytes(text.encode("utf-8"))
