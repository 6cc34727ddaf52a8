"""The SIAK follow-up export: residents the desks and field teams found not in the register,
moved, dead or abroad (``ops.followup.rows``), as CSV for the Dinas's SIAK operator.

NIK masked unless asked for (the SIAK operator needs it whole: ``--unmasked`` / ``utuh``,
audited by the caller); text neutralised for spreadsheets.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from rekam.reports.cells import neutralise, shown_nik

COLUMNS = ("kind", "nik", "source", "service_point", "region", "reported_at", "note")


def follow_up_csv(rows: Sequence[Any], unmasked: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in rows:
        row = r.as_row()
        row["nik"] = shown_nik(row["nik"], unmasked)
        writer.writerow(["" if row[c] is None else neutralise(str(row[c])) for c in COLUMNS])
    return out.getvalue()
