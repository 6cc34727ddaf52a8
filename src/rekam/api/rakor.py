"""The rakor report: every figure of the province's evaluation meeting gathered in one place
(``gather``), then written as a PDF or a workbook by ``reports/rakor_pdf.py`` and
``reports/rakor_xlsx.py`` (which take the plain ``RakorReport`` and run no engine).

The figures are those of the other commands, called the same way: ``coverage_levels`` (the
province and its kab/kota), ``progress`` (the period), ``rank`` (the ranking and its formula),
``quality`` (the flags), a coverage per snapshot for the trends, the desks' services since the
snapshot (ops database), and the kept jemput-bola plans against the recordings in their desa.
Who may: the local administrator, or an ops user whose scope holds the province (admin-pusat,
its admin-provinsi); every report is audited (``rakor``; refusals ``rakor-refused``), with the
province, the format and the snapshot, never a person.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rekam import audit
from rekam.analytics import rank as _rank
from rekam.api._base import Base
from rekam.api.figures import Figures
from rekam.api.options import region_prefix, require_out_folder, target_hundredths
from rekam.errors import InvalidArgument, PermissionDenied, RekamUserError, UnknownRegion
from rekam.files import atomic_path
from rekam.register import gazetteer
from rekam.reports.rakor import FieldCheck, KabPage, PlanCheck, RakorReport

if TYPE_CHECKING:
    from rekam.ops.models import User
    from rekam.register.store import Snapshot

#: The report's formats, by the output's suffix.
FORMATS = ("pdf", "xlsx")


class Rakor(Figures, Base):
    def rakor_report(
        self,
        as_of: date | None = None,
        since: date | None = None,
        deadline: date | None = None,
        election_date: date | None = None,
        region: str | None = None,
        target: float | str = 99.4,
        period: str | None = None,
        engine: str | None = None,
        ikd_weight: object = None,
    ) -> RakorReport:
        """The report's content for province ``region`` (default: the register's one province);
        ``ikd_weight``: the ranking's IKD weight (``Rekam.rank``; None: the settings' one)."""
        return self._gather(
            as_of or date.today(), since, deadline, election_date, region, target, period, engine, ikd_weight
        )

    def write_rakor(
        self,
        out: str | Path,
        as_of: date | None = None,
        since: date | None = None,
        deadline: date | None = None,
        election_date: date | None = None,
        region: str | None = None,
        target: float | str = 99.4,
        period: str | None = None,
        engine: str | None = None,
        user: User | str | None = None,
        lang: str | None = None,
        audit_details: dict[str, Any] | None = None,
        ikd_weight: object = None,
    ) -> RakorReport:
        """Write the rakor report to ``out`` (``.pdf`` or ``.xlsx``, by its suffix) in ``lang``
        (default: the user's language). ``user``: the acting ops user or their username (None:
        the local administrator); refused unless their scope holds the province. Audited.
        ``ikd_weight``: the ranking's IKD weight (``Rekam.rank``; None: the settings' one)."""
        from rekam.messages import language

        out = Path(out)
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise InvalidArgument("rakor_bad_out", file=out.name)
        require_out_folder(out)
        self.rank_ikd_weight(ikd_weight)  # a bad weight refused before any work
        province = self._province(region)
        username = self._allowed(user, province, fmt, audit_details)
        report = self._gather(
            as_of or date.today(), since, deadline, election_date, province, target, period, engine, ikd_weight
        )
        lang = lang or language()
        with atomic_path(out) as tmp:  # a failed write leaves no half report (nor an older one replaced)
            if fmt == "pdf":
                from rekam.reports.rakor_pdf import write_pdf

                write_pdf(report, tmp, lang)
            else:
                from rekam.reports.rakor_xlsx import write_xlsx

                write_xlsx(report, tmp, lang)
        audit.record(
            self.settings.home,
            "rakor",
            as_user=username,
            region=province,
            format=fmt,
            snapshot=report.snapshot,
            as_of=report.as_of.isoformat(),
            out=out.name,
            **(audit_details or {}),
        )
        return report

    def _allowed(
        self, user: User | str | None, province: str, fmt: str, audit_details: dict[str, Any] | None
    ) -> str | None:
        """The acting user's name (None: the local administrator), or PermissionDenied (audited)."""
        if user is None:
            return None
        from rekam.ops import scope, users

        try:
            found = users.load(self.ops_db(), user) if isinstance(user, str) else user
        except RekamUserError:
            audit.record(self.settings.home, "rakor-refused", as_user=str(user), region=province, reason="user")
            raise
        if not scope.may_region(found, province):
            audit.record(
                self.settings.home,
                "rakor-refused",
                as_user=found.username,
                region=province,
                format=fmt,
                **(audit_details or {}),
            )
            raise PermissionDenied("rakor_forbidden", region=province)
        return found.username

    def _province(self, region: str | None) -> str:
        """The province the report is about: ``region`` (a province code), or the register's
        only province."""
        if region is None:
            provinces = sorted({kab.split(".")[0] for kab in self.store().require_current().parts})
            if len(provinces) != 1:
                raise InvalidArgument("rakor_needs_region", provinces=", ".join(provinces))
            return provinces[0]
        prefix = region_prefix(region)
        if prefix is None or "." in prefix:
            raise InvalidArgument("rakor_needs_province", code=region)
        return prefix

    def _gather(
        self,
        as_of: date,
        since: date | None,
        deadline: date | None,
        election_date: date | None,
        region: str | None,
        target: float | str,
        period: str | None,
        engine: str | None,
        ikd_weight: object = None,
    ) -> RakorReport:
        """Every figure of the report (the one place that calls the other capabilities, so a
        change of their rows' keys is adapted here)."""
        weight = self.rank_ikd_weight(ikd_weight)
        province = self._province(region)
        st = self.store()
        snap = st.require_current()
        return self._memoised(snap.id)._figures(
            snap, as_of, since, deadline, election_date, province, target, period, engine, weight
        )

    def _memoised(self, current: str) -> Rakor:
        """A copy of this session whose engine passes (``Figures._count``, behind coverage and
        progress) and ``quality`` are computed once per arguments: the progress, the ranking and
        the report ask for the same figures. A pass counts every level below its region at once
        (the roll-up is in Python), so a call for the kab/kota and one for the province or the
        desa on the same day and snapshot share it. A copy, so a session shared by web requests
        is never changed. (``current``: the snapshot the report reads, for the log of passes.)"""
        from rekam.analytics.coverage import LEVELS

        session = copy.copy(self)
        counted: dict[tuple[Any, ...], Any] = {}
        count = type(self)._count

        def count_once(
            st: Any,
            snap: Snapshot,
            as_of: date,
            levels: tuple[Any, ...],
            prefix: str | None,
            election_date: date | None,
            hundredths: int,
            pemula_window: Any = 1,
            engine: str | None = None,
            overlay: Any = None,
            undated_recorded_always: bool = False,
        ) -> Any:
            if overlay is not None:  # the live view changes as the desks log: never kept
                return count(
                    session,
                    st,
                    snap,
                    as_of,
                    levels,
                    prefix,
                    election_date,
                    hundredths,
                    pemula_window,
                    engine,
                    overlay,
                    undated_recorded_always,
                )
            key = (snap.id, as_of, prefix, election_date, hundredths, pemula_window, engine, undated_recorded_always)
            if key not in counted:
                depth = 0 if prefix is None else len(prefix.split(".")) - 1
                counted[key] = count(
                    session,
                    st,
                    snap,
                    as_of,
                    LEVELS[depth:],
                    prefix,
                    election_date,
                    hundredths,
                    pemula_window,
                    engine,
                    None,
                    undated_recorded_always,
                )
            return {level: list(counted[key][level]) for level in levels}

        quality = type(self).quality
        kept: dict[tuple[Any, ...], Any] = {}

        def quality_once(
            level: Any = "kab",
            region: str | None = None,
            as_of: date | None = None,
            engine: str | None = None,
            live: bool = False,
        ) -> Any:
            key = (level, region, as_of, engine, live)
            if key not in kept:
                kept[key] = quality(session, level, region, as_of, engine, live)
            return kept[key]

        session._count = count_once  # type: ignore[method-assign]
        session.quality = quality_once  # type: ignore[method-assign]
        return session

    def _figures(
        self,
        snap: Snapshot,
        as_of: date,
        since: date | None,
        deadline: date | None,
        election_date: date | None,
        province: str,
        target: float | str,
        period: str | None,
        engine: str | None,
        ikd_weight: Decimal = Decimal(0),
    ) -> RakorReport:
        # The same calls as ``rank`` makes (so computed once, ``_memoised``).
        kab_rows = sorted(
            self.coverage(as_of, "kab", province, election_date=election_date, target=target, engine=engine),
            key=lambda r: r.region_code,
        )
        prov_row = self.coverage(as_of, "prov", province, election_date=election_date, target=target, engine=engine)[0]
        progress_kab = {
            p.now.region_code: p.as_json()
            for p in self.progress(
                as_of, since, deadline, level="kab", region=province, target=target, engine=engine, period=period
            )
        }
        progress_prov = self.progress(
            as_of, since, deadline, level="prov", region=province, target=target, engine=engine, period=period
        )
        prov_progress = progress_prov[0].as_json() if progress_prov else {}
        since_day = prov_progress.get("since")
        ranking = [
            r.as_json()
            for r in self.rank(
                as_of=as_of,
                since=since,
                election_date=election_date,
                region=province,
                target=target,
                engine=engine,
                period=period,
                ikd_weight=ikd_weight,
            )
        ]
        quality = {q.region_code: q for q in self.quality("kab", province, as_of, engine)}
        quality_keys = tuple(k for k in _quality_keys() if k != "penduduk")
        trend = self._trend(province, as_of, target, engine)
        services = self._services(snap.export_date, as_of)
        plans = self._plans(as_of, engine)
        pages = []
        for r in kab_rows:
            q = quality.get(r.region_code)
            q_json = q.as_json() if q else {}
            pages.append(
                KabPage(
                    code=r.region_code,
                    name=r.region_name or r.region_code,
                    figures=r.as_json(),
                    progress=progress_kab.get(r.region_code, {}),
                    trend=trend.get(r.region_code, []),
                    quality={k: int(q_json.get(k) or 0) for k in (*quality_keys, "desa_flagged")},
                    services=None if services is None else services.get(r.region_code, {}),
                    plans=plans.get(r.region_code, []),
                )
            )
        return RakorReport(
            province_code=province,
            province_name=prov_row.region_name or gazetteer.name_of(province) or province,
            as_of=as_of,
            since=date.fromisoformat(since_day) if isinstance(since_day, str) else since,
            deadline=deadline,
            election_date=election_date,
            snapshot=snap.id,
            snapshot_date=snap.export_date,
            generated_at=datetime.now().astimezone().replace(microsecond=0),
            target=target_hundredths(target) / 100,
            province=prov_row.as_json(),
            province_progress=prov_progress,
            ranking=ranking,
            formula={"id": _rank.formula("id", ikd_weight), "en": _rank.formula("en", ikd_weight)},
            tie_margin=float(_rank.TIE_MARGIN),
            pages=pages,
            ops_database=services is not None,
            quality_keys=(*quality_keys, "desa_flagged"),
        )

    def _trend(
        self, province: str, as_of: date, target: float | str, engine: str | None
    ) -> dict[str, list[tuple[str, date, int | None, float | None]]]:
        """kab/kota -> (snapshot, export date, wajib, coverage) for each snapshot exported on or
        before ``as_of``, as of its own export date (as the web page's trend)."""
        out: dict[str, list[tuple[str, date, int | None, float | None]]] = defaultdict(list)
        snaps = sorted((s for s in self.store().all() if s.export_date <= as_of), key=lambda s: (s.export_date, s.id))
        for s in snaps:
            try:
                rows = self.coverage(s.export_date, "kab", province, s.id, target=target, engine=engine)
            except UnknownRegion:
                continue  # a snapshot without the province
            for r in rows:
                out[r.region_code].append((s.id, s.export_date, r.wajib, r.coverage_pct))
        return out

    def _services(self, since: date, as_of: date) -> dict[str, dict[str, int]] | None:
        """kab/kota -> service kind -> completed services logged at the desks (by the service
        point's kab/kota) from the snapshot's export date to ``as_of``; None: no ops database."""
        from rekam.ops.db import configured

        if not configured(self.settings):
            return None
        from sqlalchemy import func, select

        from rekam.ops.events import completed_since
        from rekam.ops.models import ServiceEvent, ServicePoint

        out: dict[str, dict[str, int]] = defaultdict(dict)
        with self.ops_db().read() as s:
            rows = s.execute(
                select(ServicePoint.region, ServiceEvent.kind, func.count())
                .join(ServicePoint, ServicePoint.id == ServiceEvent.service_point_id)
                .where(*completed_since(since), ServiceEvent.service_date <= as_of)
                .group_by(ServicePoint.region, ServiceEvent.kind)
            ).all()
        for region, kind, n in rows:
            kab = ".".join(str(region).split(".")[:2])
            out[kab][str(kind)] = out[kab].get(str(kind), 0) + int(n)
        return dict(out)

    def _plans(self, as_of: date, engine: str | None) -> dict[str, list[PlanCheck]]:
        """kab/kota -> each kept plan (REKAM_HOME/plans) with stops there, started by ``as_of``:
        its stops and expected people there, against the people recorded in those desa from the
        plan's first day to ``as_of`` (the register's recording dates)."""
        from rekam.analytics.engines import open_engine
        from rekam.analytics.recorded import recorded_between
        from rekam.planner.plan import PLAN_FORMAT
        from rekam.sites.store import SiteStore

        folder = self.settings.home / "plans"
        if not folder.is_dir():
            return {}
        site_desa: dict[str, str] | None = None
        wanted: list[tuple[str, date, date, dict[str, list[tuple[str, float]]]]] = []
        field_by_plan: dict[str, dict[str, FieldCheck]] = {}
        for path in sorted(folder.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT or not data.get("routes"):
                continue
            days = sorted(date.fromisoformat(r["date"]) for r in data["routes"])
            if days[0] > as_of:
                continue
            if site_desa is None:
                sites = SiteStore(self.settings.home).load(("sites",))
                site_desa = {s["site_id"]: s["desa_code"] for s in sites.rows("sites")}
            by_kab: dict[str, list[tuple[str, float]]] = defaultdict(list)
            for r in data["routes"]:
                for stop in r.get("stops") or []:
                    desa = _desa_of(str(stop.get("site")), site_desa)
                    if desa is not None:
                        by_kab[".".join(desa.split(".")[:2])].append((desa, _people(stop)))
            wanted.append((path.stem, days[0], days[-1], by_kab))
            field_by_plan[path.stem] = self._field_checks(data, path.stem, days[0], as_of, site_desa)
        out: dict[str, list[PlanCheck]] = defaultdict(list)
        if not wanted:
            return {}
        st = self.store()
        snap = st.require_current()
        with open_engine(engine or self.settings.engine, st, snap, spark_master=self.settings.spark_master) as eng:
            for name, start, end, by_kab in wanted:
                counts = recorded_between(eng, {d for stops in by_kab.values() for d, _ in stops}, start, as_of)
                for kab, stops in sorted(by_kab.items()):
                    visited = {d for d, _ in stops}
                    out[kab].append(
                        PlanCheck(
                            name=name,
                            start=start,
                            end=end,
                            stops=len(stops),
                            people=sum(p for _, p in stops),
                            desa=len(visited),
                            recorded=sum(counts.get(d, 0) for d in visited),
                            field=field_by_plan.get(name, {}).get(kab),
                        )
                    )
        return dict(out)

    def _field_checks(
        self, plan: dict[str, Any], name: str, start: date, as_of: date, site_desa: dict[str, str]
    ) -> dict[str, FieldCheck]:
        """kab/kota -> the plan against the teams' field outcomes there (issue 20): the stops up
        to ``as_of`` with at least one outcome logged for this plan (``planner.result.against``),
        their expected people, the people found and those recorded. Empty without an ops database
        or without outcomes."""
        from rekam.ops.db import configured
        from rekam.planner.result import against

        if not configured(self.settings):
            return {}
        outcomes = cast(Any, self).field_outcomes(since=start, until=as_of)
        if not outcomes:
            return {}
        out: dict[str, FieldCheck] = {}
        for s in against(plan, outcomes, name).stops:
            desa = _desa_of(s.site, site_desa)
            if s.date > as_of or not s.outcomes or desa is None:
                continue
            kab = ".".join(desa.split(".")[:2])
            f = out.setdefault(kab, FieldCheck(0, 0.0, 0, 0))
            f.stops += 1
            f.expected += s.expected_total
            f.found += s.found
            f.recorded += s.recorded
        return out


def _quality_keys() -> tuple[str, ...]:
    from rekam.analytics.quality import FIGURES

    return FIGURES


def _desa_of(site: str, site_desa: dict[str, str]) -> str | None:
    """A plan's stop's desa (dotted): a desa site is named for it (DESA-1371011001), another
    site's desa is in the imported sites; None when neither says."""
    from rekam.domain.region import InvalidRegionCode, parse_region

    code = site.removeprefix("DESA-") if site.startswith("DESA-") else site_desa.get(site)
    if not code:
        return None
    try:
        parsed = parse_region(code)
    except InvalidRegionCode:
        return None
    return parsed.dotted if parsed.dotted.count(".") == 3 else None


def _people(stop: dict[str, Any]) -> float:
    people = stop.get("people")
    if isinstance(people, dict):
        return float(sum(float(v) for v in people.values()))
    return float(stop.get("value") or 0.0)
