"""The NIK mask cannot be undone (issue #13, finding 3): every by-name output, attacked.

The attack that broke the old mask (``137101******0099``): take a row's masked NIK, fill the
hidden digits from what the same row shows (birth date and sex give DDMMYY, the desa code
gives the region) and get the whole NIK. Here every by-name output of the web app and the
command line is made from the demo register, split into rows, and attacked the same way
(both sexes, every date and desa code in the row, the output's region): no rebuilt number may
be a NIK or KK of the register, and no NIK or KK may appear whole anywhere in the output.
Failures name counts and outputs only, never a number (personal data).

A new by-name output is one line in ``OUTPUTS``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import login, token

from rekam.config import Settings

DESK_NIK_UNKNOWN = "1371015505000777"  # logged at the desk, not in the register: SIAK follow-up


@dataclass
class Ctx:
    home: Path
    client: TestClient
    cli: Callable[..., object]
    out: Path
    desa: str  # a Kota Padang desa with people on the belum-rekam list


@pytest.fixture(scope="module")
def mask_home(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A copy of the web home with services logged at SP-PDG (one NIK the register does not
    know), a jemput-bola scenario and plan for Kota Padang, and a list file to match."""
    from rekam.api import Rekam
    from rekam.domain.recording import StatusWord, status_word
    from rekam.ops.db import close_all
    from rekam.web.app import create_app

    root = tmp_path_factory.mktemp("mask")
    home = root / "home"
    shutil.copytree(web_home, home)
    settings = Settings(home=home)
    people, _ = Rekam(settings).list_people("belum-rekam", "13.71", date(2024, 11, 13))  # type: ignore[arg-type]
    by_desa: dict[str, int] = {}
    for p in people:
        by_desa[p.desa_code] = by_desa.get(p.desa_code, 0) + 1
    desa = max(by_desa, key=lambda d: by_desa[d])
    with TestClient(create_app(settings)) as client:
        headers = token(client, "loket1")
        failed = {p.nik for p in people if status_word(p.ktp_status) is StatusWord.PERLU_REKAM_ULANG}
        for i, nik in enumerate([people[0].nik, people[1].nik, DESK_NIK_UNKNOWN]):
            kind = "rekam_ulang" if nik in failed else "perekaman"  # what the counter offers them
            body = {"nik": nik, "jenis": kind, "service_point": "SP-PDG", "idempotency_key": f"mask-{i}"}
            assert client.post("/api/v1/layanan", json=body, headers=headers).status_code == 201
        assert client.get(f"/api/v1/penduduk/{people[2].nik}", headers=headers).status_code == 200  # audited
    close_all()
    scenario = Rekam(settings).make_scenario(
        "13.71", date(2024, 11, 14), date(2024, 11, 16), 2, election_date=date(2024, 11, 27)
    )
    (root / "scenario.json").write_text(json.dumps(scenario), encoding="utf-8")
    import os

    before = os.environ.get("REKAM_HOME")
    os.environ["REKAM_HOME"] = str(home)  # keep_plan writes under REKAM_HOME
    try:
        Rekam(Settings.from_env()).write_plan(
            Rekam(Settings.from_env()).solve_scenario_file(root / "scenario.json", 5, 20, 1, bound_time_limit=2),
            root / "plan.json",
        )
    finally:
        if before is None:
            del os.environ["REKAM_HOME"]
        else:
            os.environ["REKAM_HOME"] = before
    with (root / "dpt.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["NO", "NAMA", "TGL_LHR", "JENIS_KLMIN"])
        for i, p in enumerate(people[:20]):
            w.writerow([i, p.name, p.birth_date.strftime("%d-%m-%Y"), "1" if p.sex == "L" else "2"])
    yield root, desa


@pytest.fixture
def ctx(mask_home: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> Iterator[Ctx]:  # noqa: ANN001
    from rekam.ops.db import close_all
    from rekam.web.app import create_app

    root, desa = mask_home
    monkeypatch.setenv("REKAM_HOME", str(root / "home"))
    monkeypatch.delenv("REKAM_DATABASE_URL", raising=False)
    with TestClient(create_app(Settings(home=root / "home"))) as client:
        yield Ctx(root / "home", client, cli, tmp_path, desa)
    close_all()


def secrets(home: Path) -> set[str]:
    """Every NIK and KK number of the register (and the desk's unknown NIK)."""
    from rekam.analytics.engines import snapshot_files
    from rekam.register.store import Store

    store = Store(home)
    files = ", ".join(f"'{f}'" for f in snapshot_files(store, store.require_current()))
    found = duckdb.sql(f"SELECT nik, kk FROM read_parquet([{files}])").fetchall()
    return {v for row in found for v in row if v and re.fullmatch(r"\d{16}", v)} | {DESK_NIK_UNKNOWN}


# --- what an attacker reads: rows of text -------------------------------------------------


def xlsx_rows(path: Path) -> list[str]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    return [
        " | ".join("" if v is None else str(v) for v in r)
        for ws in book.worksheets
        for r in ws.iter_rows(values_only=True)
    ]


def pdf_rows(path: Path) -> list[str]:
    import pypdf

    return [line for page in pypdf.PdfReader(path).pages for line in page.extract_text().splitlines()]


def csv_rows(text: str) -> list[str]:
    return [
        " | ".join(r)
        for r in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";" if ";" in text.split("\n")[0] else ",")
    ]


def html_rows(text: str) -> list[str]:
    return text.split("<tr>")


def run(ctx: Ctx, *args: str | Path) -> None:
    result = ctx.cli(*args)
    assert result.code == 0, result.err  # type: ignore[attr-defined]


def cli_file(*args: str, suffix: str) -> Callable[[Ctx], list[str]]:
    def make(ctx: Ctx) -> list[str]:
        out = ctx.out / f"out{suffix}"
        root = ctx.home.parent
        run(ctx, *[a.format(root=root, desa=ctx.desa) for a in args], "--out", out)
        return (
            xlsx_rows(out)
            if suffix == ".xlsx"
            else pdf_rows(out)
            if suffix == ".pdf"
            else csv_rows(out.read_text("utf-8"))
        )

    return make


def web(path: str, user: str, rows: Callable[[str], list[str]], **params: str) -> Callable[[Ctx], list[str]]:
    def make(ctx: Ctx) -> list[str]:
        login(ctx.client, user)
        r = ctx.client.get(path.format(desa=ctx.desa), params=params)
        assert r.status_code == 200, r.status_code
        if params.get("format") in ("xlsx", "pdf"):
            out = ctx.out / f"web.{params['format']}"
            out.write_bytes(r.content)
            return xlsx_rows(out) if params["format"] == "xlsx" else pdf_rows(out)
        return rows(r.text)

    return make


def api_json(path: str, user: str, items: str, **params: str) -> Callable[[Ctx], list[str]]:
    def make(ctx: Ctx) -> list[str]:
        r = ctx.client.get(path.format(desa=ctx.desa), params=params, headers=token(ctx.client, user))
        assert r.status_code == 200, r.status_code
        return [json.dumps(item) for item in r.json()[items]]

    return make


def cli_stdout(*args: str) -> Callable[[Ctx], list[str]]:
    def make(ctx: Ctx) -> list[str]:
        result = ctx.cli(*args)
        assert result.code == 0  # type: ignore[attr-defined]
        return [json.dumps(e) for e in json.loads(result.out)]  # type: ignore[attr-defined]

    return make


#: Every by-name output: name -> how to make it and read it as rows of text.
OUTPUTS: dict[str, Callable[[Ctx], list[str]]] = {
    "web list page": web("/daftar/{desa}", "padang", html_rows),
    "api lists": api_json("/api/v1/lists/belum-rekam/13.71", "padang", "people"),
    "web download xlsx": web("/unduh/13.71", "padang", csv_rows, format="xlsx"),
    "web download csv": web("/unduh/13.71", "padang", csv_rows, format="csv"),
    "web download pdf": web("/unduh/13.71", "padang", csv_rows, format="pdf"),
    "rekam list csv": cli_file("list", "belum-rekam", "--region", "13.71", "--format", "csv", suffix=".csv"),
    "rekam list xlsx": cli_file("list", "belum-rekam", "--region", "13.71", "--format", "xlsx", suffix=".xlsx"),
    "rekam list pdf": cli_file("list", "belum-rekam", "--region", "{desa}", "--format", "pdf", suffix=".pdf"),
    "itinerary xlsx": cli_file("plan", "itinerary", "{root}/scenario.json", "{root}/plan.json", suffix=".xlsx"),
    "itinerary pdf": cli_file(
        "plan", "itinerary", "{root}/scenario.json", "{root}/plan.json", "--team", "T01", suffix=".pdf"
    ),
    "rekam match csv": cli_file("match", "{root}/dpt.csv", suffix=".csv"),
    "rekam match xlsx": cli_file("match", "{root}/dpt.csv", suffix=".xlsx"),
    # every row to review: the Periksa sheet shows each beside its candidates (issue 18)
    "rekam match xlsx review": cli_file(
        "match", "{root}/dpt.csv", "--match-threshold", "1", "--review-threshold", "0.0001", suffix=".xlsx"
    ),
    "rekam match --dedupe": cli_file("match", "--dedupe", "--match-threshold", "0.1", suffix=".csv"),
    "web follow-up csv": web("/tindak-lanjut", "padang", csv_rows),
    "rekam tindak-lanjut": cli_file("tindak-lanjut", "--region", "13.71", suffix=".csv"),
    "api layanan": api_json("/api/v1/layanan", "loket1", "items", service_point="SP-PDG"),
    "rekam audit": cli_stdout("audit", "--json"),
}

_SHOWN = re.compile(r"(?<![0-9*])[0-9*]{16}(?![0-9*])")
_DMY = re.compile(r"(?<!\d)(\d{2})-(\d{2})-(\d{4})(?!\d)")
_YMD = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DESA = re.compile(r"(?<![\d.])(\d{2})\.?(\d{2})\.?(\d{2})\.?\d{4}(?![\d.])")


def rebuilt(row: str, region: str) -> set[str]:
    """Every whole number an attacker gets from the row's masked numbers by filling the hidden
    digits from what the row shows: the region from a desa code (or the output's region), the
    birth date part from any date in it, as a man's or a woman's (day + 40)."""
    dates = [(d, m, y[2:]) for d, m, y in _DMY.findall(row)] + [(d, m, y[2:]) for y, m, d in _YMD.findall(row)]
    regions = {"".join(g) for g in _DESA.findall(row)} | {region.replace(".", "")[:6]}
    regions = {r for r in regions if len(r) == 6}
    out: set[str] = set()
    for shown in _SHOWN.findall(row):
        if "*" not in shown:
            continue
        for r6 in regions or {shown[:6]}:
            for d, m, yy in dates or [("**", "**", "**")]:
                for day in {d, f"{int(d) + 40:02d}"} if d != "**" else {d}:
                    fill = r6 + day + m + yy
                    guess = "".join(c if c != "*" else fill[i] if i < 12 else "*" for i, c in enumerate(shown))
                    if "*" not in guess:
                        out.add(guess)
    return out


@pytest.mark.parametrize("name", list(OUTPUTS))
def test_no_nik_can_be_rebuilt_from_a_by_name_output(name: str, ctx: Ctx) -> None:
    rows = OUTPUTS[name](ctx)
    known = secrets(ctx.home)
    whole = {n for r in rows for n in re.findall(r"(?<!\d)\d{16}(?!\d)", r)} & known
    assert not whole, f"{name}: {len(whole)} whole NIK/KK numbers shown"
    hits = sum(1 for r in rows if rebuilt(r, "13.71") & known)
    assert hits == 0, f"{name}: {hits} of {len(rows)} rows rebuilt to a NIK or KK of the register"
    masked = [r for r in rows if any("*" in s for s in _SHOWN.findall(r))]
    assert masked, f"{name}: no masked number found in {len(rows)} rows (the output is not what this test reads)"


def _audit(ctx: Ctx, action: str) -> list[dict]:
    from rekam.api import Rekam

    return [r for r in Rekam(Settings(home=ctx.home)).audit_log() if r["action"] == action]


def test_services_are_masked_unless_a_by_name_role_asks_and_every_listing_is_audited(ctx: Ctx) -> None:
    """Finding 9: GET /api/v1/layanan gave whole NIKs to anyone and left no trace."""
    params = {"service_point": "SP-PDG", "date": "2024-11-13"}
    before = len(_audit(ctx, "daftar_layanan"))
    every = ctx.client.get("/api/v1/layanan", params={"service_point": "SP-PDG"}, headers=token(ctx.client, "loket1"))
    assert every.status_code == 200 and len(every.json()["items"]) == 3
    assert all(re.fullmatch(r"\d{6}\*{10}", e["nik"]) for e in every.json()["items"])
    assert DESK_NIK_UNKNOWN not in every.text
    refused = ctx.client.get(
        "/api/v1/layanan", params={"service_point": "SP-PDG", "utuh": "true"}, headers=token(ctx.client, "loket1")
    )
    assert refused.status_code == 403 and DESK_NIK_UNKNOWN not in refused.text
    whole = ctx.client.get(
        "/api/v1/layanan", params={"service_point": "SP-PDG", "utuh": "true"}, headers=token(ctx.client, "padang")
    )
    assert whole.status_code == 200 and DESK_NIK_UNKNOWN in [e["nik"] for e in whole.json()["items"]]
    none = ctx.client.get("/api/v1/layanan", params=params, headers=token(ctx.client, "padang"))
    assert none.status_code == 200 and none.json()["items"] == []
    entries = _audit(ctx, "daftar_layanan")[before:]
    shown = [
        (
            e["user"],
            e["details"]["service_point"],
            e["details"].get("date"),
            e["details"]["rows"],
            e["details"]["unmasked"],
            bool(e["subject"]),
        )
        for e in entries
    ]
    assert shown == [
        ("loket1", "SP-PDG", None, 3, False, False),
        ("padang", "SP-PDG", None, 3, True, True),
        ("padang", "SP-PDG", "2024-11-13", 0, False, False),
    ]
    assert DESK_NIK_UNKNOWN in entries[1]["subject"]  # who saw whom: the NIKs shown whole


def test_the_follow_up_export_records_whether_it_was_unmasked(ctx: Ctx) -> None:
    """Finding 15 (part): the /tindak-lanjut audit entry did not say the export was unmasked."""
    login(ctx.client, "padang")
    assert ctx.client.get("/tindak-lanjut").status_code == 200
    page = ctx.client.get("/tindak-lanjut", params={"utuh": "true"}).text
    assert DESK_NIK_UNKNOWN not in page  # the page masks; the whole NIK is for the download
    whole = ctx.client.get("/tindak-lanjut/unduh", params={"format": "csv", "utuh": "true"})
    assert DESK_NIK_UNKNOWN in whole.text
    run(ctx, "tindak-lanjut", "--region", "13.71", "--out", ctx.out / "a.csv")
    run(ctx, "tindak-lanjut", "--region", "13.71", "--out", ctx.out / "b.csv", "--unmasked")
    assert DESK_NIK_UNKNOWN in (ctx.out / "b.csv").read_text(encoding="utf-8")
    entries = _audit(ctx, "ekspor_tindak_lanjut")[-5:]
    assert [(e["user"], e["details"].get("unmasked")) for e in entries] == [
        ("padang", False),
        ("padang", False),
        ("padang", True),
        (entries[3]["user"], False),
        (entries[3]["user"], True),
    ]
    assert str(entries[3]["user"]).startswith("cli:")
