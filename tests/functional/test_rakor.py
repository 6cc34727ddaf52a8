"""`rekam rakor`: the evaluation report as a PDF (read back with pypdf) and a workbook (openpyxl)
for the demo province with three snapshots at different dates (issue #15, "Must show").

The smallest register that proves it: the demo at scale 0.001 (seed 7, the session's
``demo_data``) imported three times: on 2024-08-01 and 2024-10-01 as it was then (whoever
recorded later is exported UNREGISTERED, without a recording date) and on 2024-11-13 as
generated. A jemput-bola plan of Kota Padang is kept in REKAM_HOME/plans, and an ops database
holds users and one service logged at a desk. The Indonesian PDF and workbook are made once
(``made``) and read by several tests.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from rekam.api import Rekam
from rekam.config import Settings

AS_OF = date(2024, 11, 13)
SINCE = date(2024, 10, 1)
DEADLINE = date(2024, 11, 27)
DATES = (date(2024, 8, 1), SINCE, AS_OF)
PLAN_START = date(2024, 10, 7)
ARGS = ("--as-of", "2024-11-13", "--since", "2024-10-01", "--deadline", "2024-11-27", "--election-date", "2024-11-27")
PASSWORD = "rahasia-demo-123"

pytestmark = pytest.mark.slow


def _as_it_was(src: Path, dst: Path, day: date) -> None:
    """The export as it would have been on ``day``: recordings after it not yet made."""
    dst.mkdir(parents=True, exist_ok=True)
    for f in sorted(src.glob("*.csv")):
        with f.open(encoding="utf-8", newline="") as fin, (dst / f.name).open("w", encoding="utf-8", newline="") as out:
            reader = csv.DictReader(fin)
            writer = csv.DictWriter(out, reader.fieldnames or [])
            writer.writeheader()
            for row in reader:
                t = row["TGL_REKAM"]
                if t and date(int(t[6:]), int(t[3:5]), int(t[:2])) > day:
                    row.update(STATUS_KTP_EL="UNREGISTERED", TGL_REKAM="", TGL_CETAK="")
                writer.writerow(row)


def _recorded_in_window(rk: Rekam) -> dict[str, int]:
    """Kota Padang's desa -> people recorded from the plan's first day to the as-of date, counted
    here in Python from the register's rows (the report counts them in SQL)."""
    from rekam.analytics.engines import open_engine

    st = rk.store()
    with open_engine("duckdb", st, st.require_current(), "13.71") as eng:
        rows = eng.run("SELECT desa_code, recording_state, recorded_on FROM register")
    counts: dict[str, int] = {}
    for desa, state, on in rows:
        if state == "SUDAH_REKAM" and on is not None and PLAN_START <= on <= AS_OF:
            counts[desa] = counts.get(desa, 0) + 1
    return counts


def _padang_desa(rk: Rekam) -> list[str]:
    """The plan's three desa: those of Kota Padang with the most recordings in its days."""
    counts = _recorded_in_window(rk)
    return sorted(counts, key=lambda d: (-counts[d], d))[:3]


@pytest.fixture(scope="module")
def rakor_home(tmp_path_factory: pytest.TempPathFactory, demo_data: Path) -> Path:
    from rekam.ops import points, users
    from rekam.ops.db import close_all, open_db

    root = tmp_path_factory.mktemp("rakor")
    home = root / "home"
    rk = Rekam(Settings(home=home))
    for day in DATES[:2]:
        _as_it_was(demo_data / "siak", root / f"siak-{day}", day)
        rk.import_register(sorted((root / f"siak-{day}").glob("*.csv")), export_date=day)
    rk.import_register(sorted((demo_data / "siak").glob("*.csv")), export_date=AS_OF)
    # A kept plan with three stops in Kota Padang's first desa (people expected per stop).
    stops = [
        {"site": "DESA-" + d.replace(".", ""), "people": {"belum_rekam": 4.0}, "value": 4.0} for d in _padang_desa(rk)
    ]
    plan = {
        "format": "rekam-plan",
        "version": 1,
        "region": "13.71",
        "routes": [{"team": "T01", "date": PLAN_START.isoformat(), "stops": stops}],
    }
    (home / "plans").mkdir()
    (home / "plans" / "padang-oktober.json").write_text(json.dumps(plan), encoding="utf-8")
    settings = Settings(home=home)
    db = open_db(settings=settings)
    points.add_point(db, "SP-PDG", "Disdukcapil Kota Padang", "13.71", "dinas")
    for name, role, region in (
        ("sumbar", "admin-provinsi", "13"),
        ("padang", "dinas", "13.71"),
        ("riau", "admin-provinsi", "14"),
    ):
        users.add_user(db, name, PASSWORD, role, region)
    nik = _unrecorded_nik(demo_data, "71")
    rk = Rekam(settings)
    rk.log_service(
        users.load(db, "padang"), nik, "perekaman", "SP-PDG", "k1", occurred_at=datetime(2024, 11, 13, 3, 0, tzinfo=UTC)
    )
    close_all()
    return home


def _unrecorded_nik(demo_data: Path, kab: str) -> str:
    """A wajib resident of kab/kota 13.<kab> who has not recorded (for the desk's service)."""
    for f in sorted((demo_data / "siak").glob(f"siak_13{kab}_*.csv")):
        with f.open(encoding="utf-8", newline="") as fin:
            rows = list(csv.DictReader(fin))
        for row in rows:
            if row["STATUS_KTP_EL"] == "UNREGISTERED" and row["TGL_LHR"][-4:] < "1990" and len(row["NIK"]) == 16:
                return row["NIK"]
    raise AssertionError("no unrecorded resident")


@pytest.fixture
def at_home(rakor_home: Path, monkeypatch: pytest.MonkeyPatch) -> Rekam:
    monkeypatch.setenv("REKAM_HOME", str(rakor_home))
    return Rekam(Settings(home=rakor_home))


@pytest.fixture(scope="module")
def made(rakor_home: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """``rekam rakor`` run once for the PDF and once for the workbook: the files and stderr."""
    from rekam.cli import main

    folder = tmp_path_factory.mktemp("made")
    found: dict[str, object] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REKAM_HOME", str(rakor_home))
        mp.setenv("REKAM_LANG", "id")
        for suffix in ("pdf", "xlsx"):
            with pytest.raises(SystemExit) as done:
                main(["rakor", *ARGS, "--out", str(folder / f"rakor.{suffix}")])
                raise SystemExit(0)
            assert done.value.code in (0, None)
            found[suffix] = folder / f"rakor.{suffix}"
    return found


def _pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(path).pages]


def test_the_pdf_holds_cover_ranking_formula_chart_and_a_page_per_kab(made, at_home: Rekam) -> None:  # noqa: ANN001
    from rekam.analytics.rank import FORMULA

    pages = _pdf_pages(made["pdf"])
    text = " ".join(pages)
    assert "Laporan Rakor Evaluasi Perekaman KTP-el: Sumatera Barat" in pages[0]
    assert "Periode evaluasi 01-10-2024 – 13-11-2024" in pages[0]
    assert "0003-20241113" in pages[0]
    # The header of every later page names the period; the footer numbers the pages.
    assert all("Periode 01-10-2024 s.d. 13-11-2024" in p for p in pages[1:])
    assert f"Halaman 2 / {len(pages)}" in pages[1]
    # The ranking: every kab/kota with its rank and score, and the formula.
    ranking = at_home.rank(as_of=AS_OF, since=SINCE, election_date=DEADLINE, region="13")
    ranking_page = next(p for p in pages if "Peringkat kab/kota" in p and "Rumus skor" in p)
    assert re.sub(r"\s+", " ", FORMULA) in ranking_page
    for r in ranking:
        from rekam import numbers

        mark = ("=" if r.tied else "") + ("*" if r.weights_rescaled else "")  # "=": tied within the margin
        assert f"{r.rank} {mark} {r.region_code}".replace("  ", " ") in ranking_page
        assert numbers.decimal(r.score, "id") in ranking_page
    # The coverage chart (its words are text in the PDF).
    chart = next(p for p in pages if "Cakupan perekaman KTP-el per kab/kota terhadap target" in p)
    assert "sumbu mulai" in chart and "Target 99,40 %" in chart
    # A page per kab/kota, each with its trend chart.
    kab = [r.region_code for r in at_home.coverage(AS_OF, "kab", "13")]
    assert len(kab) == 19
    for code in kab:
        own = [p for p in pages if re.search(rf"\({re.escape(code)}\) Periode 01-10-2024", p)]
        assert len(own) == 1, code
        assert "Tanggal ekspor snapshot" in own[0] and "Tenggat 27 Nov 2024" in own[0]
        assert "Layanan di loket sejak snapshot" in own[0]
    # No personal data: no NIK-like run of 16 digits, no resident's name from the register.
    assert not re.search(r"\d{16}", text.replace(" ", ""))


def test_a_kab_page_shows_services_and_the_plan_against_recordings(made, at_home: Rekam) -> None:  # noqa: ANN001
    pages = _pdf_pages(made["pdf"])
    padang = next(p for p in pages if "Kota Padang (13.71) Periode" in p)
    assert "Perekaman 1" in padang  # the service logged at SP-PDG on the snapshot's day
    agam = next(p for p in pages if "Kabupaten Agam (13.06) Periode" in p)
    assert "Tidak ada layanan selesai" in agam and "Tidak ada rencana jemput bola" in agam
    # The plan: 3 visits, 12 people expected; recorded in those desa since its first day, counted
    # here from the register's rows (recording date within the days).
    counts = _recorded_in_window(at_home)
    recorded = sum(counts.get(d, 0) for d in _padang_desa(at_home))
    assert recorded > 0
    shown = re.search(r"padang- ?oktober 07-10-2024 – 07-10-2024 3 12 (\d+) di 3 desa", padang)
    assert shown is not None and int(shown.group(1)) == recorded


def test_the_workbook_has_the_tables_as_sheets_with_numbers(made, at_home: Rekam) -> None:  # noqa: ANN001
    import openpyxl

    book = openpyxl.load_workbook(made["xlsx"])
    assert book.sheetnames == ["Ringkasan", "Peringkat", "Kab-Kota", "Tren"]
    kab = book["Kab-Kota"]
    header = [c.value for c in kab[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in kab.iter_rows(min_row=2, values_only=True)}
    figures = {r.region_code: r for r in at_home.coverage(AS_OF, "kab", "13", election_date=DEADLINE)}
    assert set(rows) == set(figures)
    assert rows["13.71"]["Wajib KTP-el"] == figures["13.71"].wajib
    assert rows["13.71"]["Cakupan"] == figures["13.71"].coverage_pct
    assert kab.cell(2, header.index("Cakupan") + 1).number_format == '0.00" %"'
    # The ranking sheet: the formula above the table, every kab/kota ranked.
    ranking = book["Peringkat"]
    assert str(ranking["A1"].value).startswith("Rumus skor: skor = 0,50 x cakupan")
    assert [c.value for c in ranking[4]][:5] == ["Peringkat", "Seri", "Kode", "Kab/kota", "Skor"]
    ranks = sorted(r[0] for r in ranking.iter_rows(min_row=5, values_only=True))
    assert ranks == sorted(r.rank for r in at_home.rank(as_of=AS_OF, since=SINCE, election_date=DEADLINE, region="13"))
    assert len(ranks) == 19 and all(isinstance(r, int) for r in ranks)  # numbers, sortable in Excel
    # The trend: each kab/kota at each snapshot, the coverage of that snapshot as of its date.
    trend = list(book["Tren"].iter_rows(min_row=2, values_only=True))
    assert len(trend) == 19 * 3
    first = {r.region_code: r for r in at_home.coverage(DATES[0], "kab", "13", snapshot="0001-20240801")}
    row = next(r for r in trend if r[0] == "13.71" and r[2] == "0001-20240801")
    assert row[3].date() == DATES[0] and row[4] == first["13.71"].wajib and row[5] == first["13.71"].coverage_pct
    assert first["13.71"].coverage_pct < figures["13.71"].coverage_pct  # the snapshots differ
    summary = book["Ringkasan"]
    values = {r[0]: r[1] for r in summary.iter_rows(min_row=12, values_only=True) if r[0]}
    assert values["Wajib KTP-el"] == at_home.coverage(AS_OF, "prov", "13")[0].wajib


def test_english_with_rekam_lang_en(cli, at_home: Rekam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    monkeypatch.setenv("REKAM_LANG", "en")
    pdf, xlsx = tmp_path / "rakor.pdf", tmp_path / "rakor.xlsx"
    assert cli("rakor", *ARGS, "--out", pdf).code == 0
    assert cli("rakor", *ARGS, "--out", xlsx).code == 0
    text = " ".join(_pdf_pages(pdf))
    assert "Rakor Evaluation Report" in text and "Kab/kota ranking" in text and "Score formula: score = 0.50" in text
    assert "Snapshot export date" in text and "Period 1 Oct 2024 to 13 Nov 2024" in text
    assert openpyxl.load_workbook(xlsx).sheetnames == ["Summary", "Ranking", "Kab-Kota", "Trend"]


def test_a_bad_suffix_is_refused_plainly(cli, at_home: Rekam, tmp_path: Path) -> None:
    run = cli("rakor", *ARGS, "--out", tmp_path / "rakor.docx")
    assert run.code == 1
    assert "rakor.docx: format laporan rakor tidak dikenal" in run.err and ".pdf atau .xlsx" in run.err
    assert "Traceback" not in run.err and not (tmp_path / "rakor.docx").exists()


def test_a_kab_code_or_a_missing_folder_is_refused_plainly(cli, at_home: Rekam, tmp_path: Path) -> None:
    run = cli("rakor", *ARGS, "--region", "13.71", "--out", tmp_path / "r.pdf")
    assert run.code == 1 and "13.71 bukan kode provinsi" in run.err
    run = cli("rakor", *ARGS, "--out", tmp_path / "tidak-ada" / "r.pdf")
    assert run.code == 1 and "folder tujuan tidak ada" in run.err and "Traceback" not in run.err


@pytest.mark.parametrize(("user", "allowed"), [("sumbar", True), ("padang", False), ("riau", False)])
def test_who_may_make_it_and_the_audit(cli, at_home: Rekam, tmp_path: Path, user: str, allowed: bool) -> None:
    from rekam import audit

    out = tmp_path / "rakor.xlsx"
    run = cli("rakor", *ARGS, "--out", out, "--user", user)
    entry = audit.entries(at_home.settings.home)[-1]
    if allowed:
        assert run.code == 0 and out.exists()
        assert entry["action"] == "rakor" and entry["user"] == user and entry["region"] == "13"
        assert entry["format"] == "xlsx" and entry["snapshot"] == "0003-20241113"
    else:
        assert run.code == 1 and "tidak berhak membuat laporan rakor provinsi 13" in run.err
        assert not out.exists()
        assert entry["action"] == "rakor-refused" and entry["user"] == user
    assert not re.search(r"\d{16}", json.dumps(entry))


def test_the_cli_says_what_it_wrote(cli, at_home: Rekam, tmp_path: Path) -> None:
    run = cli("rakor", *ARGS, "--out", tmp_path / "rakor.xlsx")
    assert run.code == 0
    assert "(19 kab/kota)" in " ".join(run.err.split()) and "Laporan rakor Sumatera Barat ditulis ke" in run.err


def test_without_an_ops_database_the_report_says_so(rakor_home: Path, tmp_path: Path) -> None:
    from rekam.reports.rakor_pdf import html

    home = tmp_path / "home"
    shutil.copytree(rakor_home, home, ignore=shutil.ignore_patterns("ops.db*"))
    report = Rekam(Settings(home=home)).rakor_report(AS_OF, SINCE, DEADLINE, DEADLINE)
    assert not report.ops_database and all(p.services is None for p in report.pages)
    assert html(report, "id").count("Tidak ada basis data layanan (ops)") == 19


def test_the_report_holds_the_commands_own_figures_each_computed_once(
    at_home: Rekam, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report's figures are those of `rank`, `progress`, `quality` and `coverage` called
    plainly; within the report each engine pass is made once (6 passes, not 16)."""
    from rekam.analytics import engines

    passes: list[str] = []
    run = engines.Engine.run

    def counted(self, sql, name=None):  # type: ignore[no-untyped-def]
        passes.append(name or "")
        return run(self, sql, name)

    monkeypatch.setattr(engines.Engine, "run", counted)
    report = at_home.rakor_report(AS_OF, SINCE, DEADLINE, DEADLINE)
    assert len(passes) == 6
    monkeypatch.setattr(engines.Engine, "run", run)
    ranking = at_home.rank(as_of=AS_OF, since=SINCE, election_date=DEADLINE, region="13")
    assert report.ranking == [r.as_json() for r in ranking]
    progress = {p.now.region_code: p.as_json() for p in at_home.progress(AS_OF, SINCE, DEADLINE, region="13")}
    quality = {q.region_code: q.as_json() for q in at_home.quality("kab", "13", AS_OF)}
    figures = {r.region_code: r.as_json() for r in at_home.coverage(AS_OF, "kab", "13", election_date=DEADLINE)}
    for page in report.pages:
        assert page.progress == progress[page.code] and page.figures == figures[page.code]
        assert all(quality[page.code][k] == v for k, v in page.quality.items())
    assert report.province == at_home.coverage(AS_OF, "prov", "13", election_date=DEADLINE)[0].as_json()


def test_the_ranking_shows_ikd_and_counts_it_with_the_weight_chosen(
    cli,  # noqa: ANN001
    made,  # noqa: ANN001
    at_home: Rekam,
    tmp_path: Path,
) -> None:
    """Issue 19: the IKD column in the ranking sheet and page whatever the weight; `--ikd-weight
    0.2` puts it in the score and the formula (the four other weights x 0.8)."""
    import openpyxl

    def sheet(path: Path) -> tuple[str, dict[str, dict[str, object]]]:
        ranking = openpyxl.load_workbook(path)["Peringkat"]
        header = [c.value for c in ranking[4]]
        rows = {r[2]: dict(zip(header, r, strict=True)) for r in ranking.iter_rows(min_row=5, values_only=True)}
        return str(ranking["A1"].value), rows

    formula, plain = sheet(made["xlsx"])  # type: ignore[arg-type]
    assert "IKD" not in formula
    at_0 = {r.region_code: r for r in at_home.rank(as_of=AS_OF, since=SINCE, election_date=DEADLINE, region="13")}
    assert {c: r["IKD %"] for c, r in plain.items()} == {c: r.ikd_pct for c, r in at_0.items()}
    assert any(r.ikd_pct for r in at_0.values())  # the demo has activations
    out = tmp_path / "ikd.xlsx"
    run = cli("rakor", *ARGS, "--ikd-weight", "0.2", "--out", out)
    assert run.code == 0, run.err
    formula, weighted = sheet(out)
    assert formula.startswith("Rumus skor: skor = 0,40 x cakupan + 0,16 x cakupan pemula + 0,12 x kemajuan")
    assert "0,20 x aktivasi IKD" in formula
    at_2 = at_home.rank(as_of=AS_OF, since=SINCE, election_date=DEADLINE, region="13", ikd_weight="0.2")
    assert {c: (r["Skor"], r["Peringkat"]) for c, r in weighted.items()} == {
        r.region_code: (r.score, r.rank) for r in at_2
    }
    assert {c: r["IKD %"] for c, r in weighted.items()} == {c: r.ikd_pct for c, r in at_0.items()}
    assert [r.score for r in at_2] != [at_0[r.region_code].score for r in at_2]
    # The PDF's ranking table has the column, and its 19 rows stay on the formula's page.
    pdf = tmp_path / "ikd.pdf"
    assert cli("rakor", *ARGS, "--ikd-weight", "0.2", "--out", pdf).code == 0
    for path in (made["pdf"], pdf):
        page = next(p for p in _pdf_pages(path) if "Rumus skor" in p)  # type: ignore[arg-type]
        assert "Desa janggal IKD % Indeks kesulitan" in page
        assert all(f" {code} " in page for code in at_0), path


def test_the_ikd_figure_names_the_target_and_basis_it_was_counted_with(made) -> None:  # noqa: ANN001
    """The summary's and the kab/kota sheet's IKD % say which target and basis (the coverage's
    defaults here: 30 % of wajib); the label follows the figures, not a fixed text."""
    import openpyxl

    from rekam.reports.rakor import label

    book = openpyxl.load_workbook(made["xlsx"])
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows(max_row=40) for c in row if c.value}
    assert "IKD % (target 30 % dari wajib KTP-el)" in cells
    assert label("id", "ikd_pct", {"ikd_target_pct": 32.5, "ikd_basis": "sudah_rekam"}) == (
        "IKD % (target 32,50 % dari yang sudah rekam)"
    )


@dataclass(frozen=True)
class _Outcome:
    """A field outcome as ``rekam.ops.field.FieldOutcome`` gives it (the fields ``planner.result`` reads)."""

    key: str
    stop_id: str
    nik: str | None
    outcome: str
    team: str = "T01"
    plan: str = "padang-oktober"
    occurred_at: datetime = datetime(2024, 10, 7, 3, 0, tzinfo=UTC)
    received_at: datetime = datetime(2024, 10, 7, 9, 0, tzinfo=UTC)


def test_the_plan_against_the_teams_results_where_outcomes_were_logged(
    at_home: Rekam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Per kab/kota, the kept plan against the teams' field outcomes (issue 20): the visits
    reported, the people expected there, found and recorded by the teams, in the workbook's
    Kab-Kota sheet and on the kab/kota's PDF page; a kab/kota without outcomes shows none."""
    import openpyxl

    from rekam.cli import main

    day = PLAN_START.isoformat()
    given = [
        _Outcome("a", f"{day}/T01/1", "1371010101900001", "direkam"),
        _Outcome("b", f"{day}/T01/1", "1371010101900002", "direkam"),
        _Outcome("c", f"{day}/T01/1", "1371010101900003", "tidak_hadir"),  # absent: not found
        _Outcome("d", f"{day}/T01/2", "1371010101900004", "gagal_rekam"),  # found, not recorded
        _Outcome("e", f"{day}/T01/2", "1371010101900001", "direkam"),  # a second recording: counted once
        _Outcome("f", f"{day}/T01/3", "1371010101900005", "direkam", plan="another-plan"),  # not this plan's
    ]
    asked: list[tuple[date | None, date | None]] = []

    def outcomes(self: Rekam, since: date | None = None, until: date | None = None, team: str | None = None) -> list:
        asked.append((since, until))
        return list(given)

    monkeypatch.setattr(Rekam, "field_outcomes", outcomes)
    monkeypatch.setenv("REKAM_LANG", "id")
    for suffix in ("pdf", "xlsx"):
        with pytest.raises(SystemExit) as done:
            main(["rakor", *ARGS, "--out", str(tmp_path / f"rakor.{suffix}")])
            raise SystemExit(0)
        assert done.value.code in (0, None)
    assert asked and asked[0] == (PLAN_START, AS_OF)  # the outcomes from the plan's first day to the as-of date

    # Stops 1 and 2 were reported (3: only another plan's outcome): 8 expected (4 a stop), 4
    # found (2 + 2: the one recorded again at stop 2 was found there too), 2 recorded (once each).
    book = openpyxl.load_workbook(tmp_path / "rakor.xlsx")
    kab = book["Kab-Kota"]
    header = [c.value for c in kab[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in kab.iter_rows(min_row=2, values_only=True)}
    padang = rows["13.71"]
    assert padang["Hasil tim: kunjungan dilaporkan"] == 2
    assert padang["Hasil tim: perkiraan direkam"] == 8
    assert padang["Hasil tim: ditemui"] == 4
    assert padang["Hasil tim: direkam tim"] == 2
    assert rows["13.06"]["Hasil tim: ditemui"] is None  # Agam: no plan, no outcome

    pages = _pdf_pages(tmp_path / "rakor.pdf")
    page = next(p for p in pages if "Kota Padang (13.71) Periode" in p)
    assert "Hasil tim di 2 kunjungan yang dilaporkan: perkiraan 8, ditemui 4, direkam tim 2" in page
    agam = next(p for p in pages if "Kabupaten Agam (13.06) Periode" in p)
    assert "Hasil tim" not in agam


def test_no_outcomes_no_team_results(made) -> None:  # noqa: ANN001
    import openpyxl

    header = [c.value for c in openpyxl.load_workbook(made["xlsx"])["Kab-Kota"][1]]
    assert not any(str(h).startswith("Hasil tim") for h in header)
    assert "Hasil tim" not in " ".join(_pdf_pages(made["pdf"]))
