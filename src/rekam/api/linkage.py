"""Record linkage: an outside list matched to the register (or to another list), and the
register's own duplicates. The runs, their files and audit entries are ``rekam.linkage.run``'s."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rekam.api._base import Base
from rekam.api.options import Checks, region_prefix, require_out_folder
from rekam.errors import EngineUnavailable, IngestError, InvalidArgument
from rekam.linkage import run
from rekam.linkage.kinds import KINDS


def _output(out: str | Path | None, unmasked: bool) -> run.Output | None:
    if out is None:
        return None
    path = Path(out)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise InvalidArgument("out_kind", file=path.name)
    require_out_folder(path)
    return run.Output(path, unmasked)


class Linkage(Base):
    def match_list_file(
        self,
        path: str | Path,
        out: str | Path | None = None,
        match_threshold: float = 0.9,
        review_threshold: float = 0.2,  # model.Thresholds().review
        unmasked: bool = False,
        snapshot: str | None = None,
        against: str | Path | None = None,
        kind: str | None = None,
        engine: str | None = None,
    ) -> dict[str, Any]:
        """Match an outside list (CSV/XLSX) to the register snapshot, or with ``against`` to
        another list file; one output row per list row.

        ``engine`` (default: the settings', REKAM_ENGINE, as the figures) scores the pairs:
        ``duckdb`` here, or ``spark`` at ``Settings.spark_master`` with the same model and the
        same decisions (the model is trained on DuckDB either way; docs/linkage.md).

        Writes ``out`` (.csv or .xlsx: list_id, match_id, match_probability, decision, ...; NIK
        masked unless ``unmasked``; audited) when given; returns {rows, match, review, no_match,
        kind, against}.
        """
        path = Path(path)
        other = Path(against) if against not in (None, "register") else None
        for given in (path, other):
            if given is not None and not given.is_file():
                raise IngestError("file_missing", file=given.name)
        if kind is not None and kind not in KINDS:
            raise InvalidArgument("bad_list_kind", kind=kind)
        output = _output(out, unmasked)
        engine = engine or self.settings.engine
        if engine not in ("duckdb", "spark"):
            raise EngineUnavailable("engine_unknown", engine=engine)
        from rekam.linkage.match import SparkTarget
        from rekam.linkage.model import Thresholds  # imports splink

        # the work folder for Spark (frames, pairs: personal data) under REKAM_HOME, never ./.tmp
        spark = SparkTarget(self.settings.spark_master, self.settings.home / "tmp") if engine == "spark" else None

        try:
            thresholds = Thresholds(match=match_threshold, review=review_threshold)
        except ValueError:
            raise InvalidArgument("bad_thresholds") from None
        if other is not None:
            return run.match_list_file(
                self.settings.home,
                path,
                thresholds,
                against=other,
                kind=kind,
                output=output,
                memory_limit=self.settings.memory_limit,
                spark=spark,
            )
        st = self.store()
        snap = st.load(snapshot) if snapshot else st.require_current()
        return run.match_list_file(
            self.settings.home,
            path,
            thresholds,
            store=st,
            snapshot=snap,
            kind=kind,
            output=output,
            memory_limit=self.settings.memory_limit,
            spark=spark,
        )

    def decide_review(
        self,
        path: str | Path,
        out: str | Path | None = None,
        unmasked: bool = False,
        as_user: str | None = None,
    ) -> dict[str, Any]:
        """Read the decisions a person wrote in a match workbook's *Periksa* sheet (``keputusan``:
        ``cocok 1`` ... ``cocok 3`` or ``bukan``) and store them with the result kept when the
        workbook was written: each decided review row becomes a ``match`` with the chosen
        candidate or a ``no_match``, audited (``as_user``: who, else the machine's user).

        All or nothing: a workbook that is not a rekam review sheet, a result not kept here, a
        row key of another result, a changed row or an unknown word is refused with every
        problem named by row and column, and nothing is stored. A decision already stored is
        stored once. Writes ``out`` (.csv or .xlsx: the result with every stored decision
        applied, ``decided_by`` last; NIK masked unless ``unmasked``; audited) when given.
        Returns {rows, applied, unchanged, undecided, refused, match, no_match, result}.
        """
        path = Path(path)
        if not path.is_file():
            raise IngestError("file_missing", file=path.name)
        if path.suffix.lower() != ".xlsx":
            raise IngestError("review_not_rekam", file=path.name)
        if out is not None and Path(out).resolve() == path.resolve():  # the filled workbook is kept as it is
            raise InvalidArgument("review_out_is_input", file=path.name)
        return run.decide_review(self.settings.home, path, _output(out, unmasked), as_user)

    def dedupe_register(
        self,
        out: str | Path | None = None,
        region: str | None = None,
        threshold: float = 0.9,
        unmasked: bool = False,
        snapshot: str | None = None,
    ) -> dict[str, Any]:
        """Pairs of residents of the snapshot (of ``region`` and below) that look like one person,
        clustered, for review. Writes ``out`` (.csv or .xlsx: nik_a, nik_b, match_probability,
        cluster_id, agreed, ...; NIK masked unless ``unmasked``; audited) when given; returns
        {records, pairs, clusters, region}."""
        prefix = region_prefix(region)
        output = _output(out, unmasked)
        checks = Checks()
        checks.require(0 < threshold <= 1, "threshold", threshold, "0 < P <= 1")
        checks.done()
        st = self.store()
        snap = st.load(snapshot) if snapshot else st.require_current()
        return run.dedupe_register(self.settings.home, st, snap, prefix, threshold, output)
