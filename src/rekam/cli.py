"""The ``rekam`` command: each command parses its options, makes one library call and
renders the result. Errors from the library are translated here, and only here.

Conventions (DESIGN.md): data on stdout, messages on stderr; exit 0 done, 1 refused (bad
input, nothing changed), 2 wrong usage; no progress display when stdout is not a
terminal or with --json.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from rekam import api, numbers
from rekam.analytics.disclosure import suppress
from rekam.analytics.rank import explain as rank_explain
from rekam.analytics.snapshot_diff import COUNTS as DIFF_COUNTS
from rekam.api import Rekam
from rekam.api.options import region_prefix
from rekam.config import Settings
from rekam.errors import ImportShrinks, InvalidArgument, InvalidOptions, NothingAccepted, PlanInfeasible, RekamUserError
from rekam.files import atomic_path, write_atomic
from rekam.messages import language, set_language, text

app = typer.Typer(
    name="rekam",
    help="rekam: cakupan perekaman KTP-el, daftar by name by address, dan rencana jemput bola.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
demo_app = typer.Typer(
    help="Data contoh (sintetis): Sumatera Barat, atau provinsi lain dengan --provinces.", no_args_is_help=True
)
snapshots_app = typer.Typer(
    help="Daftar snapshot register, dan kembali ke snapshot sebelumnya.\n\nExample: rekam snapshots"
)
app.add_typer(demo_app, name="demo")
app.add_typer(snapshots_app, name="snapshots")
plan_app = typer.Typer(
    help="Rencana jemput bola.\n\nExample: rekam plan solve --format top p4.2.c.txt", no_args_is_help=True
)
app.add_typer(plan_app, name="plan")
sites_app = typer.Typer(
    help="Lokasi jemput bola (sekolah, kampus, lapas, panti, rumah sakit, dinas), roster dan koordinat desa.\n\n"
    "Example: rekam sites import demo-data/sites/*.csv demo-data/wilayah/desa.csv",
    no_args_is_help=True,
)
app.add_typer(sites_app, name="sites")

err = Console(stderr=True)

#: The library session of this run: built once, from the environment, before any command runs.
_session: Rekam | None = None

#: The library's names of options (``rekam.api``) as this command line's flags, for its messages.
FLAGS = {
    "as_of": "--as-of",
    "since": "--since",
    "period": "--period",
    "target": "--target",
    "pemula_window": "--pemula-window",
    "since_election": "--since-election",
    "date_from": "--from",
    "date_to": "--to",
    "teams": "--teams",
    "kits": "--kits",
    "minutes_per_person": "--minutes-per-person",
    "ikd_minutes_per_person": "--ikd-minutes-per-person",
    "per_kit_per_day": "--per-kit-per-day",
    "weekdays": "--weekdays",
    "hours": "--hours",
    "max_visits": "--max-visits",
    "min_people": "--min-people",
    "road_factor": "--road-factor",
    "speed_kmh": "--speed-kmh",
    "threshold": "--match-threshold",
    "scale": "--scale",
    "history": "--history",
    "ikd_weight": "--ikd-weight",
}


@app.callback()
def _start() -> None:
    """Read the settings (the only place the CLI does) and build the library session."""
    global _session
    settings = Settings.from_env()
    set_language(settings.lang)
    _session = Rekam(settings)


def _rekam() -> Rekam:
    """This run's library session (``_start``)."""
    if _session is None:  # pragma: no cover - Typer runs the callback before every command
        raise RuntimeError("the CLI session was not started")
    return _session


#: The pemula window's three spellings, shared by coverage, rank and list (``_pemula_window``).
PemulaWindowYears = Annotated[int, typer.Option("--pemula-window", help="Jendela pemilih pemula, tahun.")]
PemulaWindowDays = Annotated[
    int | None, typer.Option("--pemula-window-days", help="Jendela pemilih pemula, hari (ganti --pemula-window).")
]
SinceElection = Annotated[
    str | None,
    typer.Option("--since-election", help="Awal jendela pemula (mis. pemilu sebelumnya); ganti --pemula-window."),
]


class Fmt(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class IkdBasisOpt(StrEnum):
    wajib = "wajib"
    sudah_rekam = "sudah_rekam"


class CoverageView(StrEnum):
    """Which columns ``rekam coverage`` shows in a table (csv and json always carry all)."""

    cakupan = "cakupan"
    cetak = "cetak"
    risiko = "risiko"
    ikd = "ikd"


_COVERAGE_VIEWS: dict[CoverageView, list[str]] = {
    CoverageView.cakupan: ["wajib", "sudah_rekam", "belum_rekam", "perlu_rekam_ulang", "coverage_pct", "target_gap"],
    CoverageView.cetak: ["sudah_rekam", "sudah_cetak", "belum_cetak", "menunggu_pusat", "duplikat"],
    CoverageView.risiko: ["belum_rekam", "perlu_rekam_ulang", "rentan_belum_rekam", "risiko_nonaktif", "nonaktif"],
    CoverageView.ikd: ["wajib", "sudah_rekam", "ikd_aktif", "ikd_pct", "ikd_gap", "ikd_aktif_luar", "ikd_tanpa_rekam"],
}


class LevelOpt(StrEnum):
    prov = "prov"
    kab = "kab"
    kec = "kec"
    desa = "desa"


def _pemula_window(since: str | None, days: int | None, years: int, election: date | None) -> int | date:
    """The pemula window's start (``--since-election``, or election day minus ``--pemula-window-days``)
    or its length in years (``--pemula-window``)."""
    start = _date(since, "--since-election")
    if start is None and days is not None and election is not None:
        start = date.fromordinal(election.toordinal() - days)  # days < 1: refused as --since-election
    return start or years


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidArgument("bad_date", option=option, value=value) from None


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str], None]]:
    if not enabled or not sys.stdout.isatty():
        yield lambda _msg: None
        return
    with err.status("...") as status:
        yield lambda msg: status.update(msg)


@demo_app.command("generate")
def demo_generate(
    out: Annotated[Path, typer.Option("--out", help="Folder tujuan.")],
    scale: Annotated[
        float, typer.Option(help="1.0 = seluruh penduduk (Sumatera Barat ~5,8 juta; Indonesia ~285 juta).")
    ] = 0.01,
    seed: Annotated[int, typer.Option(help="Benih acak; hasil sama untuk benih yang sama.")] = 20241113,
    history: Annotated[
        str | None,
        typer.Option(
            help="Tanggal ekspor sebelumnya, dipisah koma (mis. 2024-10-02,2024-10-23): register yang sama "
            "seperti pada tanggal itu, di OUT/history/TANGGAL/siak, untuk kemajuan dan tren."
        ),
    ] = None,
    provinces: Annotated[
        str | None,
        typer.Option(
            help="Provinsi yang dibuat: all (38 provinsi) atau kode dipisah koma (mis. 13,31,32); penduduk tiap "
            "kab/kota dari data Dukcapil Des 2024 x scale. Tanpa opsi ini: Sumatera Barat saja."
        ),
    ] = None,
) -> None:
    """Buat ekspor SIAK sintetis Sumatera Barat (atau provinsi lain) beserta sekolah, kampus, lapas, panti.

    Example: rekam demo generate --out demo-data --scale 0.01 --history 2024-10-02,2024-10-23
    Example: rekam demo generate --out national --provinces all --scale 0.01
    """
    days = [_date(d.strip(), "--history") for d in (history or "").split(",") if d.strip()]
    with _progress(True) as say:
        summary = api.generate_demo(
            out,
            scale=scale,
            seed=seed,
            progress=lambda msg, _f=0.0: say(msg),
            history=[d for d in days if d is not None],
            provinces=provinces,
        )
    err.print(
        text(
            "demo_generated",
            residents=numbers.integer(summary.residents),
            files=numbers.integer(len(summary.files)),
            out=summary.out_dir,
        )
    )


@demo_app.command("serve")
def demo_serve(
    host: Annotated[str, typer.Option("--host", help="Alamat yang didengar.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port.")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Hanya buat pengguna demo, tanpa server.")] = False,
) -> None:
    """Buat (atau perbarui) admin demo dengan kata sandi baru, cetak URL-nya, lalu jalankan dasbor.

    Example: rekam demo serve --port 8000
    """
    username, password = _rekam().demo_admin()
    typer.echo(text("demo_login", url=f"http://{host}:{port}/", username=username, password=password))
    if not no_serve:
        serve(host=host, port=port, workers=1)


class OutsideLevel(StrEnum):
    medium = "medium"
    hard = "hard"


class OutsideKind(StrEnum):
    sekolah = "sekolah"
    dpt = "dpt"
    lapas = "lapas"


@demo_app.command("outside-lists")
def demo_outside_lists(
    register_dir: Annotated[Path, typer.Option("--register-dir", help="Folder ekspor SIAK sintetis (DIR/siak).")],
    out: Annotated[Path, typer.Option("--out", help="Folder tujuan.")],
    level: Annotated[
        OutsideLevel, typer.Option(help="medium = admin yang teliti; hard = daftar yang berantakan.")
    ] = OutsideLevel.medium,
    rows: Annotated[int, typer.Option(help="Jumlah baris per daftar.")] = 1000,
    seed: Annotated[int, typer.Option(help="Benih acak; hasil sama untuk benih yang sama.")] = 20241113,
    kind: Annotated[OutsideKind | None, typer.Option(help="Satu jenis daftar saja; bawaan: ketiganya.")] = None,
) -> None:
    """Buat daftar luar sintetis (sekolah, DPT, lapas) beserta kunci jawabannya, untuk menguji pencocokan.

    Example: rekam demo outside-lists --register-dir demo-data/siak --out demo-data/outside --level hard --rows 5000
    """
    if not 1 <= rows <= 10_000_000:
        raise InvalidArgument("bad_option", option="--rows", value=rows, hint="1 <= rows <= 10000000")
    kinds = [kind.value] if kind is not None else None
    lists = api.generate_outside_lists(register_dir, out, level=level.value, rows=rows, seed=seed, kinds=kinds)
    for item in lists:
        err.print(
            text(
                "outside_list_written",
                kind=item.kind,
                rows=numbers.integer(item.rows),
                absent=numbers.integer(item.absent),
                file=item.list_file,
                truth=item.truth_file.name,
            )
        )


_COMPARISON_KEYS = ["kab_code", "rows_before", "rows_after", "change_pct", "shrinks"]


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Berkas ekspor SIAK: CSV, XLSX atau Parquet.")],
    date_: Annotated[str | None, typer.Option("--date", help="Tanggal ekspor (TTTT-BB-HH); bawaan: hari ini.")] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Impor walau lebih lama dari data yang ada, atau walau kab/kota kehilangan > 10 % barisnya."
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Periksa saja: tampilkan perbandingan per kab/kota, tulis apa pun tidak."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak hasil sebagai JSON.")] = False,
    user: Annotated[
        str | None,
        typer.Option(
            "--user", help="Impor sebagai pengguna rekam ini: hanya kab/kota wilayahnya, dicatat atas namanya."
        ),
    ] = None,
    ikd: Annotated[
        list[Path] | None,
        typer.Option(
            "--ikd",
            help="Berkas aktivasi IKD per NIK (CSV/XLSX: NIK, STATUS_IKD, TGL_AKTIVASI_IKD, KAB_AKTIVASI_IKD); "
            "boleh diulang. Nilainya menggantikan kolom IKD ekspor.",
        ),
    ] = None,
) -> None:
    """Impor ekspor SIAK sebagai satu snapshot baru (satu berkas per kab/kota boleh).

    Example: rekam import siak_1371.csv siak_1372.csv --date 2024-11-13 --user kadis-padang
    Example: rekam import koreksi_1374.csv --date 2024-11-20 --dry-run
    Example: rekam import siak_1371.csv --ikd ikd_1371.xlsx --date 2024-11-13
    """
    export_date = _date(date_, "--date")
    try:
        with _progress(not as_json) as say:
            result = _rekam().import_register(
                paths,
                export_date=export_date,
                force=force,
                progress=say,
                user=user,
                dry_run=dry_run,
                ikd_files=ikd or [],
            )
    except NothingAccepted as exc:
        if as_json and exc.result is not None:
            typer.echo(json.dumps(exc.result.as_json(), ensure_ascii=False))
        raise
    except ImportShrinks as exc:
        _output(exc.comparison, Fmt.table, text("title_import_comparison"), _COMPARISON_KEYS)
        raise
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
        return
    if result.dry_run:
        _output(result.comparison, Fmt.table, text("title_import_comparison"), _COMPARISON_KEYS)
        typer.echo(
            text(
                "import_dry_run",
                accepted=numbers.integer(result.accepted),
                quarantined=numbers.integer(result.quarantined),
            )
        )
        _show_ikd_files(result.ikd_files)
        return
    typer.echo(
        text(
            "import_summary",
            snapshot=result.snapshot,
            date=numbers.day(result.export_date),
            rows_read=numbers.integer(result.rows_read),
            accepted=numbers.integer(result.accepted),
            quarantined=numbers.integer(result.quarantined),
        )
        + (text("import_unchanged") if result.unchanged else "")
    )
    if result.warnings:
        warnings = ", ".join(f"{k} {numbers.integer(v)}" for k, v in sorted(result.warnings.items()))
        typer.echo(text("import_warnings", warnings=warnings))
    _show_ikd_files(result.ikd_files)
    if result.quarantine_file:
        typer.echo(text("import_quarantine", file=result.quarantine_file))
    if result.diff is not None and not result.unchanged:
        _show_diff(result.snapshot, result.diff["parent"], result.diff["rows"], Fmt.table)


def _show_ikd_files(figures: list[dict[str, Any]]) -> None:
    """One line per IKD file of an import: rows read, accepted, quarantined (and why)."""
    for f in figures:
        reasons = ", ".join(f"{k} {numbers.integer(v)}" for k, v in f.get("quarantine_reasons", {}).items())
        typer.echo(
            text(
                "import_ikd_summary",
                file=f["file"],
                rows_read=numbers.integer(f["rows_read"]),
                accepted=numbers.integer(f["accepted"]),
                quarantined=numbers.integer(f["quarantined"]),
            )
            + (f" ({reasons})" if reasons else "")
        )


_DIFF_KEYS = ["region_code", "region_name", *(f"diff_{k}" for k in DIFF_COUNTS)]


def _show_diff(snapshot: str, parent: str | None, rows: list[dict[str, Any]], fmt: Fmt) -> None:
    """A snapshot diff's rows (``Rekam.snapshot_diff``) as a table, CSV or JSON; the first
    snapshot has none (said so)."""
    if parent is None:
        if fmt is Fmt.table:
            typer.echo(text("diff_first", snapshot=snapshot))
            return
        err.print(text("diff_first", snapshot=snapshot))
        if fmt is Fmt.json:
            typer.echo("[]")
        return
    shown = [
        {"region_code": r["region_code"], "region_name": r["region_name"], **{f"diff_{k}": r[k] for k in DIFF_COUNTS}}
        for r in rows
    ]
    _output(shown, fmt, text("title_diff", snapshot=snapshot, parent=parent), _DIFF_KEYS)


@snapshots_app.callback(invoke_without_command=True)
def snapshots_list(ctx: typer.Context) -> None:
    """Daftar snapshot register (yang aktif ditandai *).

    Example: rekam snapshots
    """
    if ctx.invoked_subcommand is not None:
        return
    snaps, current = _rekam().snapshots()
    if not snaps:
        err.print(text("no_snapshot"))
        return
    table = Table("", *(text(f"col_{c}") for c in ("snapshot", "export_date", "created", "rows", "kabs")))
    for s in snaps:
        table.add_row(
            "*" if s.id == current else "",
            s.id,
            numbers.day(s.export_date),
            s.created_at,
            numbers.integer(s.rows),
            str(len(s.parts)),
        )
    Console().print(table)


@snapshots_app.command("rollback")
def snapshots_rollback(
    user: Annotated[
        str | None,
        typer.Option("--user", help="Sebagai pengguna rekam ini: hanya impor yang kab/kotanya dalam wilayahnya."),
    ] = None,
) -> None:
    """Kembali ke snapshot sebelumnya (dicatat di log audit).

    Example: rekam snapshots rollback --user kadis-padang
    """
    snap = _rekam().rollback(user=user)
    typer.echo(text("snapshot_current", snapshot=snap.id, date=numbers.day(snap.export_date)))


@snapshots_app.command("diff")
def snapshots_diff(
    snapshot: Annotated[str | None, typer.Argument(help="Snapshot (bawaan: yang aktif).")] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", help="Kab/kota, kecamatan atau desa: perubahan per desa di wilayah itu."),
    ] = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="table, csv atau json.")] = Fmt.table,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help="Daftar by name satu jenis perubahan: new, gone, moved, newly-wajib, newly-recorded."
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Berkas CSV daftar by name (dengan --kind).")] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Sebagai pengguna rekam ini: hanya wilayahnya, dicatat atas namanya.")
    ] = None,
    unmasked: Annotated[bool, typer.Option("--unmasked", help="NIK dan KK utuh (dicatat di log audit).")] = False,
) -> None:
    """Perubahan snapshot dibanding snapshot sebelumnya, per NIK: baru, hilang, pindah desa,
    baru wajib KTP-el, baru rekam (per kab/kota; per desa dengan --region). Disimpan saat impor;
    --kind dan --out menulis orangnya (by name, NIK disamarkan, dicatat di log audit).

    Example: rekam snapshots diff
    Example: rekam snapshots diff 0002-20241120 --region 13.71 --format csv
    Example: rekam snapshots diff --kind gone --region 13.71.01.1001 --out hilang.csv --user kadis-padang
    """
    if kind is not None or out is not None:
        if kind is None or out is None:
            raise InvalidArgument("diff_out_needed")
        people = _rekam().write_diff_people(kind, out, region, snapshot, user=user, unmasked=unmasked)
        typer.echo(text("diff_written", people=numbers.integer(people), kind=kind, out=out))
        return
    diff = _rekam().snapshot_diff(snapshot)
    within = region_prefix(region)
    rows = diff.level("desa", within) if within else diff.level("kab")
    _show_diff(diff.snapshot, diff.parent, rows, fmt)


class EngineOpt(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


@app.command("coverage")
def coverage(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Per tanggal (TTTT-BB-HH); bawaan: hari ini.")] = None,
    level: Annotated[LevelOpt, typer.Option(help="Tingkat wilayah.")] = LevelOpt.kab,
    region: Annotated[str | None, typer.Option(help="Batasi ke wilayah, mis. 13.71 atau 1371.")] = None,
    election_date: Annotated[
        str | None, typer.Option("--election-date", help="Hari pemungutan suara: pemula dan akan wajib.")
    ] = None,
    target: Annotated[str, typer.Option(help="Target cakupan nasional, persen.")] = "99.4",
    pemula_window: PemulaWindowYears = 1,
    pemula_window_days: PemulaWindowDays = None,
    since_election: SinceElection = None,
    engine: Annotated[EngineOpt | None, typer.Option(help="duckdb (bawaan) atau spark.")] = None,
    snapshot: Annotated[str | None, typer.Option(help="Pakai snapshot lama ini, bukan yang aktif.")] = None,
    public: Annotated[bool, typer.Option("--public", help="Untuk publik: sembunyikan angka kecil (1-4).")] = False,
    live: Annotated[
        bool, typer.Option("--live", help="Tambahkan layanan yang tercatat di loket sejak snapshot.")
    ] = False,
    view: Annotated[
        CoverageView,
        typer.Option(
            help="Kolom tabel: cakupan (bawaan), cetak (sudah cetak, siap cetak PRR, menunggu pusat), "
            "risiko (rentan, risiko nonaktif, lewat tanggal nonaktif) atau ikd (aktivasi IKD). "
            "CSV/JSON memuat semuanya."
        ),
    ] = CoverageView.cakupan,
    ikd_target: Annotated[str, typer.Option("--ikd-target", help="Target aktivasi IKD, persen.")] = "30",
    ikd_basis: Annotated[
        IkdBasisOpt,
        typer.Option(
            "--ikd-basis", help="Pembagi persen IKD: wajib (bawaan: wajib KTP-el) atau sudah_rekam (yang sudah rekam)."
        ),
    ] = IkdBasisOpt.wajib,
    fmt: Annotated[Fmt, typer.Option("--format", help="table, csv atau json.")] = Fmt.table,
) -> None:
    """Cakupan perekaman KTP-el per wilayah: wajib, sudah/belum rekam, persen, selisih target; aktivasi IKD.

    Example: rekam coverage --as-of 2024-11-13 --level kab --election-date 2024-11-27
    Example: rekam coverage --as-of 2024-11-13 --view cetak
    Example: rekam coverage --as-of 2024-11-13 --view ikd --ikd-basis sudah_rekam
    """
    day = _date(as_of, "--as-of") or date.today()
    election = _date(election_date, "--election-date")
    rows = _rekam().coverage(
        as_of=day,
        level=level.value,
        region=region,
        snapshot=snapshot,
        election_date=election,
        target=target,
        pemula_window=_pemula_window(since_election, pemula_window_days, pemula_window, election),
        engine=engine.value if engine else None,
        live=live,
        ikd_target=ikd_target,
        ikd_basis=ikd_basis.value,
    )
    dicts = [suppress(r.as_json()) if public else r.as_json() for r in rows]
    title = text("title_coverage", day=numbers.day(day), target=numbers.percent(Decimal(target)))
    if election:
        title += text("title_coverage_election", day=numbers.day(election))
    keys = ["region_code", "region_name", *_COVERAGE_VIEWS[view]]
    if election and view is CoverageView.cakupan:
        keys += ["pemula", "pemula_belum_rekam", "akan_wajib_belum_rekam"]
    _output(dicts, fmt, title, keys)


@app.command("progress")
def progress(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Per tanggal; bawaan: hari ini (atau akhir --period).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Awal periode evaluasi (tanggal); didahulukan dari --period.")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(help="Periode evaluasi: 2024, 2024-S2, 2024-Q4 atau 2024-11; bawaan: semester --as-of."),
    ] = None,
    deadline: Annotated[str | None, typer.Option(help="Tenggat, mis. 2024-11-27.")] = None,
    holiday: Annotated[
        list[str] | None,
        typer.Option(help="Hari libur (bukan hari kerja) sebelum tenggat; boleh berulang, mis. --holiday 2024-11-27."),
    ] = None,
    target: Annotated[str, typer.Option(help="Target cakupan, persen.")] = "99.4",
    level: Annotated[LevelOpt, typer.Option(help="Tingkat wilayah.")] = LevelOpt.kab,
    region: Annotated[str | None, typer.Option(help="Batasi ke wilayah.")] = None,
    engine: Annotated[EngineOpt | None, typer.Option(help="duckdb (bawaan) atau spark.")] = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="table, csv atau json.")] = Fmt.table,
) -> None:
    """Kemajuan dalam periode evaluasi: kekurangan dari target pada awal dan sekarang, laju
    penutupannya, kekurangan pada tenggat (termasuk yang akan wajib), kebutuhan per hari kerja, proyeksi.

    Example: rekam progress --period 2024-S2 --as-of 2024-11-13 --deadline 2024-11-27
    """
    rows = [
        r.as_json()
        for r in _rekam().progress(
            as_of=_date(as_of, "--as-of"),
            since=_date(since, "--since"),
            deadline=_date(deadline, "--deadline"),
            level=level.value,
            region=region,
            target=target,
            engine=engine.value if engine else None,
            period=period,
            holidays=tuple(d for d in (_date(h, "--holiday") for h in holiday or ()) if d is not None),
        )
    ]
    if fmt is Fmt.table:
        if rows:
            _progress_header(rows[0])
        rows = [dict(r, projection=_projection_words(r)) for r in rows]
    _output(
        rows,
        fmt,
        text("title_progress"),
        [
            "region_code",
            "region_name",
            "target_gap_since",
            "target_gap",
            "gap_closed",
            "pace_per_day",
            "gap_at_deadline",
            "needed_per_working_day",
            "projection",
        ],
        words=("projection",),
        number_width=10,
    )


def _progress_header(row: dict[str, Any]) -> None:
    """The period, where its start was read from, and the deadline, on stderr."""
    day = numbers.day
    since, as_of = date.fromisoformat(row["since"]), date.fromisoformat(row["as_of"])
    err.print(text("progress_period", since=day(since), as_of=day(as_of), days=numbers.integer(row["days"])))
    key = "progress_baseline_dates" if row["baseline_from_recording_dates"] else "progress_baseline_snapshot"
    err.print(text(key, snapshot=row["baseline_snapshot"]), highlight=False)
    if row["deadline"]:
        deadline = day(date.fromisoformat(row["deadline"]))
        if row["working_days_left"] is None:
            err.print(text("progress_deadline_passed", deadline=deadline))
        else:
            err.print(
                text("progress_deadline", deadline=deadline, working_days=numbers.integer(row["working_days_left"]))
            )


def _projection_words(row: dict[str, Any]) -> str:
    """The projected date, or the note in words (``projection_<note>``)."""
    note, projected = row["projection_note"], row["projected_date"]
    when = numbers.day(date.fromisoformat(projected)) if projected else ""
    if note == "shrinking" and row["after_deadline"]:
        return text("projection_after_deadline", date=when)
    if note == "deadline_passed" and projected:
        return text("projection_deadline_passed_date", date=when)
    return text(f"projection_{note}", date=when)


#: ``--ikd-weight`` of ``rank`` and ``rakor``: checked by the library (``Rekam.rank_ikd_weight``).
IkdWeightOpt = Annotated[
    str | None,
    typer.Option(
        "--ikd-weight",
        help="Bobot aktivasi IKD dalam skor, 0 sampai 0.5 (pilihan provinsi; bobot lain dikali 1 - bobot). "
        "Bawaan: REKAM_RANK_IKD_WEIGHT, atau 0 (IKD tampil, tidak dihitung).",
    ),
]


class RankView(StrEnum):
    main = "main"
    adjusted = "adjusted"


#: The table's columns per ``--view``; CSV and JSON always carry every field.
RANK_COLUMNS: dict[str, list[str]] = {
    "main": [
        "rank",
        "region_code",
        "region_name",
        "score",
        "coverage_pct",
        "pemula_pct",
        "progress",
        "progress_share_pct",
        "printing_pct",
        "target_gap",
        "flagged_desa",
        "ikd_pct",
    ],
    "adjusted": [
        "rank",
        "region_code",
        "region_name",
        "score",
        "remoteness",
        "rentan_share_pct",
        "backlog_share_pct",
        "difficulty",
        "adjusted_score",
        "adjusted_rank",
    ],
}


@app.command("rank")
def rank(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Per tanggal; bawaan: hari ini.")] = None,
    since: Annotated[str | None, typer.Option(help="Awal periode evaluasi; bawaan: seperti 'rekam progress'.")] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="Periode evaluasi, seperti pada 'rekam progress' (ganti --since).")
    ] = None,
    election_date: Annotated[str | None, typer.Option("--election-date", help="Hari pemungutan suara.")] = None,
    pemula_window: PemulaWindowYears = 1,
    pemula_window_days: PemulaWindowDays = None,
    since_election: SinceElection = None,
    target: Annotated[str, typer.Option(help="Target cakupan, persen.")] = "99.4",
    region: Annotated[str | None, typer.Option(help="Provinsi, mis. 13.")] = None,
    engine: Annotated[EngineOpt | None, typer.Option(help="duckdb (bawaan) atau spark.")] = None,
    view: Annotated[
        RankView, typer.Option("--view", help="Tabel: main (komponen) atau adjusted (kesulitan, skor disesuaikan).")
    ] = RankView.main,
    ikd_weight: IkdWeightOpt = None,
    ikd_basis: Annotated[
        IkdBasisOpt,
        typer.Option(
            "--ikd-basis", help="Pembagi persen IKD: wajib (bawaan: wajib KTP-el) atau sudah_rekam (yang sudah rekam)."
        ),
    ] = IkdBasisOpt.wajib,
    fmt: Annotated[Fmt, typer.Option("--format", help="table, csv atau json.")] = Fmt.table,
) -> None:
    """Peringkat kab/kota untuk rakor evaluasi: setiap komponen, skor, rumus dan batas seri, dan
    di sampingnya skor disesuaikan dengan tingkat kesulitan. Kolom IKD % selalu tampil; ikut
    dihitung dalam skor hanya dengan bobot IKD (--ikd-weight, REKAM_RANK_IKD_WEIGHT; bawaan 0).

    Example: rekam rank --as-of 2024-11-13 --since 2024-11-01 --election-date 2024-11-27
    Example: rekam rank --as-of 2024-11-13 --since 2024-11-01 --ikd-weight 0.1
    """
    election = _date(election_date, "--election-date")
    weight = _rekam().rank_ikd_weight(ikd_weight)
    rows = _rekam().rank(
        as_of=_date(as_of, "--as-of"),
        since=_date(since, "--since"),
        election_date=election,
        region=region,
        target=target,
        engine=engine.value if engine else None,
        pemula_window=_pemula_window(since_election, pemula_window_days, pemula_window, election),
        period=period,
        ikd_weight=weight,
        ikd_basis=ikd_basis.value,
    )
    about = rank_explain(language(), weight)
    dicts = [r.as_json() for r in rows]
    if fmt is Fmt.json:
        typer.echo(json.dumps(about | {"rows": dicts}, ensure_ascii=False, indent=1))
        return
    notes = [
        text("rank_rescaled", code=r.region_code, reason=text(f"rank_reason_{r.no_progress_reason}"))
        for r in rows
        if r.weights_rescaled and r.progress is None and r.no_progress_reason
    ] + [text("rank_rescaled_ikd", code=r.region_code) for r in rows if weight and r.ikd_pct is None]
    if fmt is Fmt.csv:
        for line in [about["formula"], about["adjusted_formula"], *notes]:
            typer.echo("# " + line)
        _output(dicts, fmt, "", [])
        return
    typer.echo(about["formula"])
    for r in dicts:
        r["rank"] = f"{r['rank']}=" if r["tied"] else str(r["rank"])
    _output(
        dicts,
        fmt,
        text("title_rank"),
        RANK_COLUMNS[view],
        wide=True,
    )
    margin = numbers.decimal(about["tie_margin"])
    for line in [text("rank_tied", margin=margin), *notes] + (
        [about["adjusted_formula"]] if view == "adjusted" else []
    ):
        typer.echo(line)


@app.command("quality")
def quality(
    level: Annotated[LevelOpt, typer.Option(help="Tingkat wilayah.")] = LevelOpt.kab,
    region: Annotated[str | None, typer.Option(help="Batasi ke wilayah.")] = None,
    engine: Annotated[EngineOpt | None, typer.Option(help="duckdb (bawaan) atau spark.")] = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="table, csv atau json.")] = Fmt.table,
) -> None:
    """Mutu data per wilayah: rekam sebelum 16 tahun, sebelum lahir, NIK/tanggal lahir beda, duplikat.

    Example: rekam quality --level kec --region 13.71
    """
    rows = _rekam().quality(level=level.value, region=region, engine=engine.value if engine else None)
    _output(
        [r.as_json() for r in rows],
        fmt,
        text("title_quality"),
        [
            "region_code",
            "region_name",
            "penduduk",
            "penduduk_bermasalah",
            "rekam_sebelum_16",
            "rekam_sebelum_lahir",
            "nik_tgl_lahir_beda",
            "rekam_tanpa_tanggal",
            "duplikat_dikarantina",
            "desa_flagged",
            "tindak_lanjut_siak",
        ],
    )


@app.command("rakor")
def rakor(
    out: Annotated[Path, typer.Option("--out", help="Berkas laporan: .pdf atau .xlsx (format dari akhirannya).")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Per tanggal; bawaan: hari ini.")] = None,
    since: Annotated[str | None, typer.Option(help="Awal periode evaluasi, mis. 2024-10-01.")] = None,
    period: Annotated[str | None, typer.Option(help="Periode evaluasi bernama (ganti --since).")] = None,
    deadline: Annotated[str | None, typer.Option(help="Tenggat, mis. 2024-11-27.")] = None,
    election_date: Annotated[str | None, typer.Option("--election-date", help="Hari pemungutan suara.")] = None,
    region: Annotated[str | None, typer.Option(help="Provinsi, mis. 13; bawaan: provinsi register.")] = None,
    target: Annotated[str, typer.Option(help="Target cakupan, persen.")] = "99.4",
    engine: Annotated[EngineOpt | None, typer.Option(help="duckdb (bawaan) atau spark.")] = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user", help="Buat sebagai pengguna rekam ini: hanya provinsi wilayahnya, dicatat atas namanya."
        ),
    ] = None,
    ikd_weight: IkdWeightOpt = None,
) -> None:
    """Laporan rakor evaluasi (PDF atau Excel): ringkasan provinsi, peringkat dengan rumusnya,
    grafik cakupan, lalu satu halaman per kab/kota. Tanpa data pribadi; dicatat di log audit.

    Example: rekam rakor --as-of 2024-11-13 --since 2024-10-01 --deadline 2024-11-27 --out rakor.pdf
    """
    report = _rekam().write_rakor(
        out,
        as_of=_date(as_of, "--as-of"),
        since=_date(since, "--since"),
        deadline=_date(deadline, "--deadline"),
        election_date=_date(election_date, "--election-date"),
        region=region,
        target=target,
        period=period,
        engine=engine.value if engine else None,
        user=user,
        ikd_weight=ikd_weight,
    )
    err.print(text("rakor_written", province=report.province_name, out=out, pages=numbers.integer(len(report.pages))))


def _output(
    rows: list[dict[str, Any]],
    fmt: Fmt,
    title: str,
    keys: list[str],
    words: tuple[str, ...] = (),
    number_width: int | None = None,
    wide: bool = False,
) -> None:
    """Rows as JSON, as CSV (nested figures spread into columns), or as a table of ``keys``;
    ``words``: columns of text (left, wrapped), ``number_width``: the widest a figure's column grows
    (its header wraps), leaving room for them; ``wide``: at least 160 characters, for the ranking's columns."""
    if fmt is Fmt.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if fmt is Fmt.csv:
        flat = [_flat(r) for r in rows]
        if flat:
            w = csv.DictWriter(sys.stdout, fieldnames=list(flat[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(flat)
        return
    table = Table(title=title)
    for key in keys:
        text_col = key in ("region_code", "region_name")
        if key in words:
            table.add_column(text(f"col_{key}"), justify="left")
            continue
        table.add_column(
            text(f"col_{key}"),
            justify="left" if text_col else "right",
            no_wrap=text_col,
            max_width=None if text_col else number_width,
        )
    for r in rows:
        table.add_row(*[_cell(r[k]) for k in keys])
    Console(width=max(160 if wide else 140, Console().width)).print(table)


@sites_app.command("boundaries")
def sites_boundaries(
    path: Annotated[Path, typer.Argument(help="GeoJSON batas desa (Polygon/MultiPolygon, properti kode desa).")],
    as_json: Annotated[bool, typer.Option("--json", help="Cetak ringkasan sebagai JSON.")] = False,
) -> None:
    """Simpan batas desa (GeoJSON) untuk peta dasbor.

    Example: rekam sites boundaries batas-desa-sumbar.geojson
    """
    result = _rekam().import_boundaries(path)
    if as_json:
        typer.echo(json.dumps(result.as_json()))
    else:
        err.print(text("boundaries_done", **result.as_json()))


@sites_app.command("import")
def sites_import(
    paths: Annotated[
        list[Path], typer.Argument(help="Daftar lokasi, roster (site_id + NIK) atau koordinat desa: CSV/XLSX.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Cetak hasil sebagai JSON.")] = False,
) -> None:
    """Impor daftar lokasi, roster dan koordinat desa; baris bermasalah dikarantina.

    Example: rekam sites import demo-data/sites/*.csv demo-data/wilayah/desa.csv
    """
    result = _rekam().import_sites(paths)
    data = result.as_json()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    for kind, figures in data["by_kind"].items():
        typer.echo(
            text(
                "sites_summary", what=text(f"sites_kind_{kind}"), **{k: numbers.integer(v) for k, v in figures.items()}
            )
        )
    stored = data["stored"]
    if data["unchanged"]:
        typer.echo(text("sites_unchanged", version=data["version"]))
    kinds = ", ".join(f"{k} {numbers.integer(v)}" for k, v in stored["sites"].items())
    typer.echo(
        text(
            "sites_stored",
            version=data["version"],
            sites=numbers.integer(sum(stored["sites"].values())),
            kinds=kinds,
            roster_rows=numbers.integer(stored["roster_rows"]),
            desa=numbers.integer(stored["desa"]),
        )
    )
    if data["quarantine_file"]:
        typer.echo(text("sites_quarantine", file=data["quarantine_file"]))


@plan_app.command("make")
def plan_make(
    out: Annotated[Path, typer.Option("--out", help="Berkas skenario (JSON) yang ditulis.")],
    region: Annotated[
        str | None, typer.Option(help="Provinsi (13) atau kab/kota (13.71); dengan --remaining: wilayah rencana.")
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Hari pertama (TTTT-BB-HH); dengan --remaining bawaan: besok.")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Hari terakhir (TTTT-BB-HH); dengan --remaining: hari terakhir rencana.")
    ] = None,
    teams: Annotated[int | None, typer.Option(help="Jumlah tim; dengan --remaining: tim rencana.")] = None,
    remaining: Annotated[
        bool,
        typer.Option(
            "--remaining",
            help="Rencana ulang: hari tersisa dari --plan, orang yang belum direkam, turnout yang dipelajari.",
        ),
    ] = False,
    plan: Annotated[Path | None, typer.Option("--plan", help="Rencana (JSON) yang direncanakan ulang.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Per tanggal; bawaan: --from.")] = None,
    election_date: Annotated[
        str | None, typer.Option("--election-date", help="Hari pemungutan suara; bawaan: sehari setelah --to.")
    ] = None,
    kits: Annotated[int, typer.Option(help="Alat rekam per tim.")] = 2,
    minutes_per_person: Annotated[float, typer.Option("--minutes-per-person", help="Menit per orang per alat.")] = 5.0,
    per_kit_per_day: Annotated[int, typer.Option("--per-kit-per-day", help="Orang per alat per hari.")] = 50,
    weekdays: Annotated[str, typer.Option(help="Hari kerja tim, 1 = Senin: 1-6 atau 1,2,3,4,5.")] = "1-6",
    hours: Annotated[str, typer.Option(help="Jam kerja tim, JJ:MM-JJ:MM.")] = "07:30-16:00",
    max_visits: Annotated[
        int | None, typer.Option("--max-visits", help="Kunjungan per lokasi; bawaan: desa 3, lain 2.")
    ] = None,
    min_people: Annotated[
        int, typer.Option("--min-people", help="Lokasi dengan orang lebih sedikit ditinggalkan.")
    ] = 1,
    road_factor: Annotated[float, typer.Option("--road-factor", help="Jarak jalan / jarak lurus.")] = 1.4,
    speed_kmh: Annotated[float, typer.Option("--speed-kmh", help="Kecepatan rata-rata, km/jam.")] = 30.0,
    ikd: Annotated[
        bool, typer.Option("--ikd", help="Hitung juga yang sudah rekam tetapi IKD belum aktif (kelompok ikd).")
    ] = False,
    ikd_minutes_per_person: Annotated[
        float, typer.Option("--ikd-minutes-per-person", help="Menit per aktivasi IKD per alat.")
    ] = 3.0,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak ringkasan sebagai JSON.")] = False,
) -> None:
    """Buat skenario jemput bola dari register dan lokasi yang diimpor: jumlah orang per lokasi, tim, depot.

    Example: rekam plan make --region 13.71 --from 2024-11-14 --to 2024-11-26 --teams 3 --out padang.json
    Example: rekam plan make --region 13.71 --from 2024-11-14 --to 2024-11-26 --teams 3 --ikd --out padang-ikd.json
    Example: rekam plan make --remaining --plan rencana.json --from 2024-11-20 --out sisa.json
    """
    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    if (
        remaining != (plan is not None)
        or not remaining
        and (region is None or start is None or end is None or teams is None)
    ):
        raise InvalidArgument("plan_remaining_needs")
    options: dict[str, Any] = dict(
        as_of=_date(as_of, "--as-of"),
        election_date=_date(election_date, "--election-date"),
        kits=kits,
        minutes_per_person=minutes_per_person,
        per_kit_per_day=per_kit_per_day,
        weekdays=weekdays,
        hours=hours,
        max_visits=max_visits,
        min_people=min_people,
        road_factor=road_factor,
        speed_kmh=speed_kmh,
        ikd=ikd,
        ikd_minutes_per_person=ikd_minutes_per_person,
    )
    if plan is not None:
        scenario = _rekam().make_remaining_scenario(plan, start, end, teams, region, **options)
    else:
        assert region is not None and start is not None and end is not None and teams is not None
        scenario = _rekam().make_scenario(region, start, end, teams, **options)
    _plan_made(out, scenario, as_json)


def _plan_made(out: Path, scenario: dict[str, Any], as_json: bool) -> None:
    """Write a made scenario and say what it holds (``plan make``, with or without --remaining)."""
    write_atomic(out, json.dumps(scenario, indent=1, ensure_ascii=False))
    source: dict[str, Any] = scenario["source"]
    for warning in source["warnings"]:
        err.print(text("plan_warning", message=warning), highlight=False, soft_wrap=True)
    if as_json:
        typer.echo(json.dumps(source, ensure_ascii=False))
        return
    typer.echo(
        text(
            "plan_made",
            out=out,
            sites=numbers.integer(len(scenario["sites"])),
            people=numbers.integer(sum(source["people"].values())),  # type: ignore[arg-type]
            teams=len(scenario["teams"]),
            depots=len(scenario["depots"]),
        )
    )
    for kind, figures in source["sites_by_kind"].items():
        typer.echo(
            text(
                "plan_kind_line_ikd" if "ikd" in figures["people"] else "plan_kind_line",
                kind=kind,
                sites=numbers.integer(figures["sites"]),
                people=numbers.integer(sum(figures["people"].values())),
                **{c: numbers.integer(n) for c, n in figures["people"].items()},
            )
        )
    again = source.get("remaining")
    if again:
        typer.echo(
            text(
                "plan_remaining_made",
                plan=again["plan"],
                start=again["from"],
                end=again["to"],
                recorded=numbers.integer(again["recorded_at_desks"]),
                outcomes=numbers.integer(again["field_outcomes"]),
            )
        )
        for row in again["turnout"]:
            learned = row["turnout"] is not None
            typer.echo(
                text(
                    "plan_remaining_turnout" if learned else "plan_remaining_turnout_default",
                    kind=row["kind"],
                    used=numbers.percent(100 * row["used"]) if row["used"] is not None else "-",
                    default=numbers.percent(100 * row["default"]) if row["default"] is not None else "-",
                    recorded=numbers.integer(row["recorded"]),
                    listed=numbers.integer(row["listed"]),
                    stops=numbers.integer(row["stops"]),
                )
            )


class ListOpt(StrEnum):
    belum_rekam = "belum-rekam"
    rekam_ulang = "rekam-ulang"
    pemula = "pemula"
    akan_wajib = "akan-wajib"
    rentan = "rentan"
    belum_cetak = "belum-cetak"
    risiko_nonaktif = "risiko-nonaktif"
    nonaktif = "nonaktif"
    belum_ikd = "belum-ikd"


class ListFmt(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    pdf = "pdf"


@app.command("list")
def list_(
    kind: Annotated[ListOpt, typer.Argument(help="Jenis daftar.")],
    region: Annotated[str, typer.Option(help="Desa/kelurahan atau wilayah lebih besar, mis. 13.71.01.1001.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Per tanggal; bawaan: hari ini.")] = None,
    election_date: Annotated[str | None, typer.Option("--election-date", help="Untuk pemula dan akan-wajib.")] = None,
    since_election: SinceElection = None,
    pemula_window: PemulaWindowYears = 1,
    pemula_window_days: PemulaWindowDays = None,
    fmt: Annotated[
        ListFmt | None, typer.Option("--format", help="xlsx, csv atau pdf; bawaan: dari akhiran --out, atau xlsx.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Berkas keluaran.")] = None,
    unmasked: Annotated[bool, typer.Option("--unmasked", help="NIK utuh (dicatat di log audit).")] = False,
    csv_sep: Annotated[str, typer.Option("--csv-sep", help="Pemisah CSV.")] = ";",
) -> None:
    """Daftar by name by address per desa (Excel, CSV atau PDF), NIK disamarkan kecuali --unmasked.

    Example: rekam list belum-rekam --region 13.71.01 --as-of 2024-11-13 --out belum-rekam.xlsx
    """
    if fmt is None:  # --out daftar.csv writes a CSV, not a workbook named .csv
        suffix = out.suffix.lower().lstrip(".") if out else ""
        fmt = ListFmt(suffix) if suffix in {f.value for f in ListFmt} else ListFmt.xlsx
    target = out or Path(f"{kind.value}-{region.replace('.', '')}.{fmt.value}")
    n = _rekam().write_list(
        kind.value,
        region,
        target,
        fmt=fmt.value,
        as_of=_date(as_of, "--as-of"),
        election_date=_date(election_date, "--election-date"),
        pemula_window=_pemula_window(
            since_election, pemula_window_days, pemula_window, _date(election_date, "--election-date")
        ),
        unmasked=unmasked,
        csv_sep=csv_sep,
    )
    err.print(text("list_written", people=numbers.integer(n), out=target))


@app.command("verify")
def verify(
    path: Annotated[Path, typer.Argument(help="Lembar kerja daftar yang dikembalikan (xlsx).")],
) -> None:
    """Baca kembali daftar yang sudah diisi hasil verifikasinya, lalu simpan hasilnya.

    Example: rekam verify belum-rekam-137101.xlsx
    """
    n = _rekam().verify(path)
    err.print(text("verify_done", file=path.name, outcomes=numbers.integer(n)))


class MatchKind(StrEnum):
    sekolah = "sekolah"
    dpt = "dpt"
    lapas = "lapas"
    panti = "panti"
    lainnya = "lainnya"


@app.command("match")
def match(
    path: Annotated[
        Path | None, typer.Argument(help="Daftar dari luar (CSV/XLSX): sekolah, DPT, lapas, panti.")
    ] = None,
    against: Annotated[
        str, typer.Option("--against", help="'register' (bawaan) atau daftar lain (CSV/XLSX) dengan kolom yang sama.")
    ] = "register",
    kind: Annotated[
        MatchKind | None, typer.Option("--kind", help="Jenis daftar; bawaan: dari kolom ID (NISN, NO_DPT ...).")
    ] = None,
    dedupe: Annotated[
        bool, typer.Option("--dedupe", help="Cari penduduk yang tercatat dua kali di register (tanpa LIST).")
    ] = False,
    region: Annotated[str | None, typer.Option("--region", help="Wilayah untuk --dedupe, mis. 13.71.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Hasil per baris (.csv atau .xlsx).")] = None,
    match_threshold: Annotated[float, typer.Option("--match-threshold", help="Peluang minimal untuk 'match'.")] = 0.9,
    review_threshold: Annotated[
        float, typer.Option("--review-threshold", help="Peluang minimal untuk 'review'.")
    ] = 0.2,
    unmasked: Annotated[bool, typer.Option("--unmasked", help="NIK utuh (dicatat di log audit).")] = False,
    decide: Annotated[
        bool,
        typer.Option(
            "--decide", help="LIST adalah hasil .xlsx yang lembar Periksa-nya sudah diisi: simpan keputusannya."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak ringkasan sebagai JSON.")] = False,
    engine: Annotated[
        EngineOpt | None,
        typer.Option(
            help="duckdb (bawaan) atau spark: tempat pasangan dinilai (model dan keputusan sama; REKAM_ENGINE)."
        ),
    ] = None,
) -> None:
    """Cocokkan daftar dari luar dengan register: satu baris hasil per baris daftar (match, review, no_match).

    Example: rekam match siswa-sman1.csv --out hasil.xlsx
             rekam match --decide hasil.xlsx --out hasil-final.xlsx
             rekam match dpt-tps.csv --against dpt-kpu.csv --out hasil.csv
             rekam match dpt-nasional.csv --engine spark --out hasil.csv
             rekam match --dedupe --region 13.71 --out ganda.xlsx
    """
    if decide:
        if path is None or dedupe:
            raise typer.BadParameter(text("match_decide_needs_file"))
        summary = _rekam().decide_review(path, out, unmasked)
        message = text("review_done", file=path.name, **summary)
    elif dedupe:
        if path is not None:
            raise typer.BadParameter(text("match_dedupe_no_list"))
        summary = _rekam().dedupe_register(out, region, match_threshold, unmasked)
        message = text("dedupe_summary", **summary)
    else:
        if path is None:
            raise typer.BadParameter(text("match_list_needed"))
        summary = _rekam().match_list_file(
            path,
            out,
            match_threshold,
            review_threshold,
            unmasked,
            against=against,
            kind=kind.value if kind else None,
            engine=engine.value if engine else None,
        )
        key = "match_summary" if summary["against"] == "register" else "match_summary_against"
        message = text(key, other=summary["against"], **{k: v for k, v in summary.items() if k != "against"})
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        err.print(message)


@app.command("tindak-lanjut")
def follow_up(
    out: Annotated[Path, typer.Option("--out", help="Berkas tujuan: .xlsx (Excel) atau .csv.")],
    region: Annotated[str | None, typer.Option("--region", help="Wilayah, mis. 13.71; bawaan: semua.")] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Satu jenis: nik_tidak_dikenal | pindah | meninggal | luar_negeri."),
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="Dilaporkan sejak tanggal (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Dilaporkan sampai tanggal (YYYY-MM-DD).")] = None,
    unmasked: Annotated[
        bool, typer.Option("--unmasked", help="NIK utuh untuk operator SIAK (dicatat di log audit).")
    ] = False,
) -> None:
    """Ekspor kasus tindak lanjut SIAK: NIK tidak dikenal di loket, pindah, meninggal, di luar negeri.

    Judul kolom berbahasa Indonesia, waktu setempat (WIB/WITA/WIT).

    Example: rekam tindak-lanjut --region 13.71 --out tindak-lanjut.xlsx --unmasked
    """
    from rekam.reports.follow_up import follow_up_csv, follow_up_xlsx

    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InvalidArgument("bad_option", option="--out", value=out.name, hint=".xlsx | .csv")
    rows = _rekam().follow_up_rows(
        region, unmasked=unmasked, kind=kind, since=_date(since, "--since"), until=_date(until, "--until")
    )
    if suffix == ".csv":
        write_atomic(out, follow_up_csv(rows, unmasked=unmasked))
    else:
        with atomic_path(out) as tmp:
            follow_up_xlsx(rows, tmp, unmasked=unmasked)
    err.print(text("follow_up_done", rows=numbers.integer(len(rows)), file=out.name))


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host", help="Alamat yang didengar.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", help="Proses server; >1 untuk PostgreSQL dengan banyak loket.")
    ] = 1,
) -> None:
    """Jalankan aplikasi web (dasbor, API /api/v1, loket layanan).

    Example: rekam serve --host 0.0.0.0 --port 8000
    """
    import uvicorn

    if workers < 1:
        raise InvalidArgument("bad_option", option="--workers", value=workers, hint=">= 1")
    err.print(text("serve_url", url=f"http://{host}:{port}/"))
    if workers == 1:
        from rekam.web.app import KEEP_ALIVE_S, create_app

        uvicorn.run(
            create_app(warm=True),
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            timeout_keep_alive=KEEP_ALIVE_S,
        )
    else:  # each worker process builds its own app; the parent deals the connections out in turn
        from rekam.web import workers as serve_workers

        raise typer.Exit(serve_workers.serve(host, port, workers))


def _command_started(start_up: float = 5.0) -> float:
    """When this command started (``time.time()``): the process's start (from /proc) if it is at
    most ``start_up`` seconds old, as when a shell runs ``rekam ...``; else now (the CLI called
    inside a longer-lived process, e.g. a test, or no /proc)."""
    now = time.time()
    try:
        with open("/proc/self/stat", encoding="ascii") as stat, open("/proc/uptime", encoding="ascii") as up:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
            uptime = float(up.read().split()[0])
    except (OSError, ValueError, IndexError):
        return now
    age = max(uptime - ticks / os.sysconf("SC_CLK_TCK"), 0.0)
    return now - age if age <= start_up else now


class PlanFmt(StrEnum):
    scenario = "scenario"
    top = "top"


@plan_app.command("solve")
def plan_solve(
    path: Annotated[Path, typer.Argument(help="Skenario (JSON) atau, dengan --format top, berkas TOP.")],
    fmt: Annotated[PlanFmt, typer.Option("--format", help="scenario atau top.")] = PlanFmt.scenario,
    time_limit: Annotated[float, typer.Option("--time-limit", help="Batas waktu penyusunan, detik.")] = 60.0,
    iterations: Annotated[int | None, typer.Option(help="Batas iterasi (hasil sama untuk benih yang sama).")] = None,
    seed: Annotated[int, typer.Option(help="Benih acak.")] = 1,
    bound_time_limit: Annotated[
        float | None,
        typer.Option(
            "--bound-time-limit",
            help="Batas waktu batas atas, detik (bawaan: berjalan di samping penyusunan, dalam --time-limit).",
        ),
    ] = None,
    add_teams: Annotated[int, typer.Option("--add-teams", help="Bagaimana jika: tambah K tim.")] = 0,
    extra_days: Annotated[int, typer.Option("--extra-days", help="Bagaimana jika: tambah D hari kerja.")] = 0,
    out: Annotated[Path | None, typer.Option("--out", help="Tulis rencana lengkap: PLAN.json atau PLAN.xlsx.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak ringkasan rencana sebagai JSON.")] = False,
) -> None:
    """Susun jadwal tim: kunjungan per tim per hari, batas atas dan selisihnya; setiap rencana lolos pemeriksa kelayakan.

    Example: rekam plan solve skenario.json --time-limit 60 --out rencana.json
    """
    limit = None if iterations else time_limit
    if fmt is PlanFmt.top:
        top = api.solve_top_file(
            path,
            time_limit=limit,
            iterations=iterations,
            seed=seed,
            bound_time_limit=bound_time_limit,
            started=_command_started(),  # the limit bounds the whole command, start-up included
        )
        data = top.as_json()
        if out:
            write_atomic(out, json.dumps(data, indent=1))
        if as_json:
            typer.echo(json.dumps(data))
            return
        bound = (
            "-"
            if data["bound"] is None
            else text(
                "top_bound_gap", bound=numbers.number(data["bound"]), gap=numbers.percent(data["gap_pct"], places=3)
            )
        )
        typer.echo(
            text(
                "top_summary",
                score=numbers.number(data["score"]),
                bound=bound,
                routes=len(data["routes"]),
                seconds=numbers.decimal(data["seconds"], places=3),
            )
        )
        for r in data["routes"]:
            typer.echo(text("top_route", team=r["team"], stops=" ".join(str(s) for s in r["stops"])))
        return
    if out is not None and out.suffix.lower() not in (".json", ".xlsx"):
        raise InvalidArgument("plan_out_kind", file=out.name)
    solved = _rekam().solve_plan(
        path,
        limit,
        iterations,
        seed,
        add_teams=add_teams,
        extra_days=extra_days,
        bound_time_limit="shared" if bound_time_limit is None else bound_time_limit,
        out=out,
    )
    for note in solved.notes:
        err.print(text("plan_warning", message=note), highlight=False, soft_wrap=True)
    summary = solved.plan.summary_json()
    if as_json:
        typer.echo(json.dumps(summary))
        return
    _print_plan(summary)


@plan_app.command("check")
def plan_check(
    scenario: Annotated[Path, typer.Argument(help="Skenario (JSON).")],
    plan: Annotated[Path, typer.Argument(help="Rencana (PLAN.json) yang akan diperiksa.")],
) -> None:
    """Periksa kelayakan rencana terhadap skenarionya (jam kerja, jam buka, kapasitas alat, depot).

    Example: rekam plan check skenario.json rencana.json
    """
    problems = api.check_plan_file(scenario, plan)
    if problems:
        raise PlanInfeasible("plan_infeasible", problems)
    err.print(text("plan_feasible", file=plan.name))


@plan_app.command("itinerary")
def plan_itinerary(
    scenario: Annotated[Path, typer.Argument(help="Skenario (JSON) dari rekam plan make.")],
    plan: Annotated[Path, typer.Argument(help="Rencana (PLAN.json) dari rekam plan solve.")],
    out: Annotated[
        Path, typer.Option("--out", help="Berkas keluaran: .xlsx (satu atau semua tim) atau .pdf (satu tim).")
    ],
    team: Annotated[str | None, typer.Option("--team", help="Tim, mis. T01; bawaan untuk xlsx: semua tim.")] = None,
    unmasked: Annotated[bool, typer.Option("--unmasked", help="NIK utuh (dicatat di log audit).")] = False,
) -> None:
    """Itinerari tim: jadwal per hari dan daftar nama tiap lokasi yang dikunjungi (Excel atau PDF).

    Example: rekam plan itinerary skenario.json rencana.json --team T01 --out T01.pdf
    """
    result = _rekam().write_itinerary(scenario, plan, out, team=team, unmasked=unmasked)
    for note in result["notes"]:
        err.print(text("plan_warning", message=note), highlight=False, soft_wrap=True)
    err.print(
        text("itinerary_written", teams=result["teams"], out=out, visits=result["visits"], sites=result["sites"]),
        highlight=False,
        soft_wrap=True,
    )


def _print_plan(summary: dict) -> None:  # type: ignore[type-arg]
    totals = summary["totals"]
    bound = "-" if summary["bound"] is None else numbers.decimal(summary["bound"], places=1)
    gap = "-" if summary["gap_pct"] is None else numbers.percent(summary["gap_pct"])
    typer.echo(
        text(
            "plan_summary",
            score=numbers.decimal(summary["score"], places=1),
            bound=bound,
            gap=gap,
            people=numbers.integer(totals["people"]),
            visits=numbers.integer(totals["visits"]),
            sites=numbers.integer(totals["sites"]),
        )
    )
    for cohort, n in totals["people_by_cohort"].items():
        typer.echo(f"  {cohort}: {numbers.decimal(n, places=1)}")
    if "what_if" in summary:
        w = summary["what_if"]
        typer.echo(
            text(
                "plan_what_if",
                teams=w["add_teams"],
                days=w["extra_days"],
                score=numbers.decimal(w["score"], places=1),
                gain=numbers.decimal(w["gain"], places=1),
                gain_pct=numbers.percent(w["gain_pct"]),
                people=numbers.integer(w["people_gain"]),
            )
        )
    for r in summary["routes"]:
        typer.echo(f"  {r['team']} {r['date']}: {' > '.join(r['stops'])}")


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    """A JSON row with by_sex / by_age_band spread into columns, for CSV."""
    out = {k: v for k, v in row.items() if not isinstance(v, dict)}
    for group in ("by_sex", "by_age_band"):
        for key, figures in row.get(group, {}).items():
            for name, value in figures.items():
                out[f"{name}_{key.lower().replace('-', '_').replace('+', '_plus')}"] = value
    return out


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return text("yes") if value else text("no")
    if isinstance(value, int):
        return numbers.integer(value)
    if isinstance(value, float):
        return numbers.decimal(value, grouped=False)
    return str(value)


# --- ops (issue 8): users, service points, audit log (docs/ops.md) ---------------------------

users_app = typer.Typer(
    help="Pengguna layanan (admin-pusat, admin-provinsi, dinas, operator, tim).\n\n"
    "Example: rekam users add op1 --role operator --region 13.71 --service-point PDG-DINAS < sandi.txt",
    no_args_is_help=True,
)
app.add_typer(users_app, name="users")
points_app = typer.Typer(
    help="Titik layanan: dinas, kecamatan, mpp, keliling.\n\n"
    "Example: rekam service-points add PDG-DINAS --name 'Disdukcapil Kota Padang' --region 13.71 --kind dinas",
    no_args_is_help=True,
)
app.add_typer(points_app, name="service-points")


class RoleOpt(StrEnum):
    admin_pusat = "admin-pusat"
    admin_provinsi = "admin-provinsi"
    dinas = "dinas"
    operator = "operator"
    tim = "tim"


class PointKindOpt(StrEnum):
    dinas = "dinas"
    kecamatan = "kecamatan"
    mpp = "mpp"
    keliling = "keliling"


def _read_password() -> str:
    """The password from stdin: asked twice without echo at a terminal, else the first line."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass(text("ops_password_prompt"))
        if getpass.getpass(text("ops_password_again")) != first:
            raise InvalidArgument("ops_password_mismatch")
        return first
    return sys.stdin.readline().rstrip("\r\n")


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Nama pengguna (huruf kecil, angka, . _ -).")],
    role: Annotated[RoleOpt, typer.Option(help="admin-pusat, admin-provinsi, dinas, operator atau tim.")],
    region: Annotated[str | None, typer.Option(help="Wilayah: provinsi (13) atau kab/kota (13.71).")] = None,
    service_point: Annotated[
        str | None, typer.Option("--service-point", help="Titik layanan (operator; tim: titik keliling tim).")
    ] = None,
    team: Annotated[
        str | None, typer.Option("--team", help="ID tim di rencana jemput bola (peran tim), mis. T01.")
    ] = None,
) -> None:
    """Buat pengguna; kata sandi dibaca dari stdin (tidak ditampilkan, tidak dicatat). Kata sandi:
    minimal 10 karakter, bukan satu karakter berulang, tidak memuat nama pengguna, bukan kata sandi umum.
    Ketua tim jemput bola: --role tim dengan titik layanan keliling dan --team.

    Example: rekam users add ketua1 --role tim --service-point TIM-PDG-1 --team T01
    """
    password = _read_password()
    user = _rekam().add_user(username, password, role.value, region, service_point, team=team)
    where = user.region or text("ops_scope_country")
    if user.service_point:
        where += f", {user.service_point}"
    if user.team:
        where += f", {text('col_team')} {user.team}"
    err.print(text("ops_user_added", username=username, role=role.value, scope=where), highlight=False)


@users_app.command("list")
def users_list(as_json: Annotated[bool, typer.Option("--json", help="Cetak sebagai JSON.")] = False) -> None:
    """Daftar pengguna.

    Example: rekam users list
    """
    found = [u.as_json() for u in _rekam().list_users()]
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=1))
        return
    if not found:
        err.print(text("ops_no_users"))
        return
    table = Table(
        *(text(f"col_{c}") for c in ("username", "role", "region_name", "service_point", "team", "disabled", "created"))
    )
    for u in found:
        table.add_row(
            u["username"],
            u["role"],
            u["region"] or "-",
            u["service_point"] or "-",
            u["team"] or "-",
            text("yes") if u["disabled"] else "",
            u["created_at"],
        )
    Console().print(table)


@users_app.command("disable")
def users_disable(username: Annotated[str, typer.Argument(help="Nama pengguna.")]) -> None:
    """Nonaktifkan pengguna (riwayatnya tetap ada).

    Example: rekam users disable op1
    """
    _rekam().disable_user(username)
    err.print(text("ops_user_disabled", username=username), highlight=False)


@users_app.command("reset-password")
def users_reset_password(username: Annotated[str, typer.Argument(help="Nama pengguna.")]) -> None:
    """Ganti kata sandi pengguna; kata sandi baru dibaca dari stdin (aturan sama dengan users add).
    Semua sesi dan token pengguna ini berakhir.

    Example: rekam users reset-password op1 < sandi-baru.txt
    """
    _rekam().reset_password(username, _read_password())
    err.print(text("ops_password_reset", username=username), highlight=False)


@points_app.command("add")
def points_add(
    point_id: Annotated[str, typer.Argument(metavar="ID", help="ID titik layanan, mis. PDG-DINAS.")],
    name: Annotated[str, typer.Option(help="Nama titik layanan.")],
    region: Annotated[str, typer.Option(help="Kab/kota (13.71) atau kecamatan/desa di dalamnya.")],
    kind: Annotated[PointKindOpt, typer.Option(help="dinas, kecamatan, mpp atau keliling.")],
    timezone: Annotated[str, typer.Option(help="Zona waktu, mis. Asia/Makassar.")] = "Asia/Jakarta",
) -> None:
    """Buat titik layanan.

    Example: rekam service-points add PDG-DINAS --name "Disdukcapil Kota Padang" --region 13.71 --kind dinas
    """
    _rekam().add_service_point(point_id, name, region, kind.value, timezone)
    err.print(text("ops_point_added", point=point_id, name=name), highlight=False)


@points_app.command("list")
def points_list(
    region: Annotated[str | None, typer.Option(help="Batasi ke wilayah.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak sebagai JSON.")] = False,
) -> None:
    """Daftar titik layanan.

    Example: rekam service-points list --region 13.71
    """
    found = [p.as_json() for p in _rekam().list_service_points(region=region)]
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=1))
        return
    if not found:
        err.print(text("ops_no_points"))
        return
    table = Table(*(text(f"col_{c}") for c in ("id", "name", "region_name", "kind", "timezone", "daily_print_cap")))
    for p in found:
        cap = p["daily_print_cap"]
        table.add_row(p["id"], p["name"], p["region"], p["kind"], p["timezone"], "-" if cap is None else str(cap))
    Console().print(table)


@points_app.command("cap")
def points_cap(
    point_id: Annotated[str, typer.Argument(metavar="ID", help="ID titik layanan.")],
    cap: Annotated[int | None, typer.Argument(metavar="N", help="Kartu paling banyak dicetak per hari.")] = None,
    none: Annotated[bool, typer.Option("--none", help="Hapus batas cetak harian.")] = False,
) -> None:
    """Atur batas cetak harian titik layanan (jatah blanko): N kartu per hari setempat, cetak
    gagal ikut dihitung; --none menghapusnya. Diaudit.

    Example: rekam service-points cap PDG-DINAS 200
    """
    if (cap is None) == (not none):
        raise InvalidArgument("bad_option", option="N | --none", value=cap, hint="N atau --none")
    found = _rekam().set_print_cap(point_id, None if none else cap)
    shown = text("ops_print_cap_none") if found.daily_print_cap is None else str(found.daily_print_cap)
    err.print(text("ops_print_cap_set", point=found.id, cap=shown), highlight=False)


devices_app = typer.Typer(
    help="Perangkat lapangan tim jemput bola: daftar dan cabut.\n\nExample: rekam devices revoke 3f2a...",
    no_args_is_help=True,
)
app.add_typer(devices_app, name="devices")


@devices_app.command("list")
def devices_list(as_json: Annotated[bool, typer.Option("--json", help="Cetak sebagai JSON.")] = False) -> None:
    """Daftar perangkat lapangan (ponsel ketua tim): pengguna, tim, sinkron terakhir, dicabut.

    Example: rekam devices list --json
    """
    found = [d.as_json() for d in _rekam().list_devices()]
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=1))
        return
    if not found:
        err.print(text("field_no_devices"))
        return
    table = Table(
        *(text(f"col_{c}") for c in ("device", "username", "team", "label", "created", "last_sync", "revoked"))
    )
    for d in found:
        table.add_row(
            str(d["id"]),
            str(d["username"]),
            str(d["team"] or "-"),
            str(d["label"]),
            str(d["created_at"]),
            str(d["last_sync_at"] or "-"),
            str(d["revoked_at"] or ""),
        )
    Console().print(table)


@devices_app.command("revoke")
def devices_revoke(device_id: Annotated[str, typer.Argument(metavar="DEVICE_ID", help="ID perangkat.")]) -> None:
    """Cabut perangkat lapangan: perangkat itu tidak dapat mengirim hasil lagi (hasil yang belum
    terkirim tetap di perangkat, untuk diunduh admin). Diaudit.

    Example: rekam devices revoke 3f2a9c0d41b64e5f8a7d6c5b4a392817
    """
    found = _rekam().revoke_device(device_id)
    err.print(text("field_device_revoked_done", device=found.id, username=found.username), highlight=False)


blanko_app = typer.Typer(
    help="Blanko KTP-el titik layanan: terima, pindah, kembalikan, rusak, hitung fisik, daftar prioritas.\n\n"
    "Example: rekam blanko receive --service-point PDG-DINAS --quantity 600",
    no_args_is_help=True,
)
app.add_typer(blanko_app, name="blanko")

BlankoPoint = Annotated[str, typer.Option("--service-point", help="ID titik layanan.")]
BlankoQuantity = Annotated[int, typer.Option("--quantity", help="Jumlah blanko.")]
BlankoNote = Annotated[str | None, typer.Option("--note", help="Catatan (tanpa data pribadi).")]
BlankoKey = Annotated[
    str | None, typer.Option("--key", help="Kunci idempotensi; bawaan: baru. Pakai lagi untuk mengulang.")
]


def _blanko_move(
    kind: str, point: str, quantity: int, key: str | None, note: str | None, to: str | None = None
) -> None:
    """One movement through the library, as the local administrator; the key is printed first,
    so a run cut off before its answer can be repeated with the same key."""
    import uuid

    key = key or uuid.uuid4().hex
    err.print(text("blanko_key_note", idem=key), highlight=False)
    session = _rekam()
    entry, created = session.blanko_record(point, kind, quantity, key, counterpart=to, note=note)
    if not created:
        err.print(text("blanko_retry"), highlight=False)
    left = session.blanko_left(point)
    err.print(text("blanko_recorded", kind=kind, quantity=abs(entry.quantity), point=point, left=left), highlight=False)


@blanko_app.command("receive")
def blanko_receive(
    service_point: BlankoPoint, quantity: BlankoQuantity, note: BlankoNote = None, key: BlankoKey = None
) -> None:
    """Catat blanko yang diterima.

    Example: rekam blanko receive --service-point PDG-DINAS --quantity 600 --note "kiriman Ditjen"
    """
    _blanko_move("received", service_point, quantity, key, note)


@blanko_app.command("transfer")
def blanko_transfer(
    service_point: BlankoPoint,
    quantity: BlankoQuantity,
    to: Annotated[str, typer.Option("--to", help="Titik layanan tujuan (kab/kota yang sama).")],
    note: BlankoNote = None,
    key: BlankoKey = None,
) -> None:
    """Pindahkan blanko ke titik layanan lain di kab/kota yang sama (keluar di sini, masuk di sana, sekaligus).

    Example: rekam blanko transfer --service-point PDG-DINAS --to PDG-KEC1 --quantity 50
    """
    _blanko_move("transfer_out", service_point, quantity, key, note, to)


@blanko_app.command("return")
def blanko_return(
    service_point: BlankoPoint, quantity: BlankoQuantity, note: BlankoNote = None, key: BlankoKey = None
) -> None:
    """Catat blanko yang dikembalikan (ke Dinas atau provinsi).

    Example: rekam blanko return --service-point PDG-KEC1 --quantity 20
    """
    _blanko_move("returned", service_point, quantity, key, note)


@blanko_app.command("spoiled")
def blanko_spoiled(
    service_point: BlankoPoint, quantity: BlankoQuantity, note: BlankoNote = None, key: BlankoKey = None
) -> None:
    """Catat blanko rusak di persediaan (cetak gagal dicatat oleh layanannya sendiri).

    Example: rekam blanko spoiled --service-point PDG-DINAS --quantity 2 --note "tertekuk"
    """
    _blanko_move("spoiled", service_point, quantity, key, note)


@blanko_app.command("count")
def blanko_count(
    service_point: BlankoPoint,
    counted: Annotated[int, typer.Option("--counted", help="Blanko yang dihitung di rak.")],
    note: BlankoNote = None,
    key: BlankoKey = None,
) -> None:
    """Catat hitungan fisik: selisih dengan buku disimpan, dilaporkan dan disesuaikan.

    Example: rekam blanko count --service-point PDG-DINAS --counted 598
    """
    import uuid

    key = key or uuid.uuid4().hex
    err.print(text("blanko_key_note", idem=key), highlight=False)
    session = _rekam()
    found, created = session.blanko_count(service_point, counted, key, note=note)
    if not created:
        err.print(text("blanko_retry"), highlight=False)
    err.print(
        text(
            "blanko_counted",
            point=service_point,
            counted=found.counted,
            expected=found.expected,
            difference=found.difference,
            left=session.blanko_left(service_point),
        ),
        highlight=False,
    )


@blanko_app.command("priority")
def blanko_priority(
    service_point: BlankoPoint,
    limit: Annotated[int, typer.Option("--limit", help="Jumlah baris.")] = 50,
    out: Annotated[Path | None, typer.Option("--out", help="Tulis ke berkas .csv atau .xlsx.")] = None,
    election_date: Annotated[
        str | None, typer.Option("--election-date", help="Hari pemungutan suara (pemula didahulukan).")
    ] = None,
    unmasked: Annotated[bool, typer.Option("--unmasked", help="NIK utuh (diaudit).")] = False,
) -> None:
    """Daftar prioritas blanko: penduduk siap cetak (PRR) di wilayah titik layanan, pemilih pemula
    dulu (sebelum hari pemungutan suara), lalu rentan, lalu yang paling lama menunggu. Diaudit.

    Example: rekam blanko priority --service-point PDG-DINAS --limit 200 --out prioritas.xlsx
    """
    from rekam.reports.priority import TIER_WORDS

    election = _date(election_date, "--election-date")
    session = _rekam()
    if out is not None:
        found = session.write_blanko_priority(service_point, out, None, limit, election, unmasked)
        err.print(text("blanko_priority_written", rows=len(found.rows), point=service_point, out=out), highlight=False)
        return
    found = session.blanko_priority(service_point, None, limit, election, unmasked)
    table = Table("#", "NIK", text("col_name"), "Desa", "TGL_LHR", "TGL_REKAM", "Prioritas")
    for p in found.rows:
        table.add_row(
            str(p.rank),
            p.nik,
            p.name or "",
            p.desa_code,
            p.birth_date.isoformat() if p.birth_date else "",
            p.recorded_on.isoformat() if p.recorded_on else "",
            TIER_WORDS[p.tier],
        )
    Console(width=max(140, Console().width)).print(table)
    err.print(text("blanko_priority_counts", total=found.total, point=service_point, **found.by_tier), highlight=False)


@app.command("purge")
def purge(
    days: Annotated[
        int | None, typer.Option("--days", help="Simpan N hari; bawaan REKAM_RETENTION_DAYS atau 30.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Hanya tampilkan; tidak ada yang dihapus.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak sebagai JSON.")] = False,
) -> None:
    """Hapus berkas karantina dan by name di REKAM_HOME yang lebih tua dari N hari (retensi UU PDP; diaudit).

    Example: rekam purge --days 30 --dry-run
    """
    result = _rekam().purge(days, dry_run)
    if as_json:
        typer.echo(json.dumps(result.as_json()))
        return
    for name in result.files:
        typer.echo(name)
    key = "purge_dry_run" if dry_run else "purge_done"
    err.print(text(key, files=len(result.files), days=result.days, bytes=result.bytes))


@app.command("audit")
def audit_(
    since: Annotated[str | None, typer.Option(help="Sejak tanggal (TTTT-BB-HH).")] = None,
    user: Annotated[str | None, typer.Option(help="Hanya pengguna ini.")] = None,
    unmasked: Annotated[bool, typer.Option("--unmasked", help="NIK utuh (akses ini juga dicatat).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak sebagai JSON.")] = False,
) -> None:
    """Log audit akses by name: daftar, pencocokan, itinerari (berkas) dan pencarian di loket (ops).

    Example: rekam audit --since 2024-11-01
    """
    from rekam.domain.nik import mask_nik

    rows = _rekam().audit_log(since=_date(since, "--since"), user=user)
    if unmasked and any(r["subject"] for r in rows):
        from rekam import audit as file_audit

        file_audit.record(_rekam().settings.home, "audit", unmasked=True, entries=len(rows))
    for r in rows:
        if r["subject"] and not unmasked:
            r["subject"] = ",".join(mask_nik(n) for n in str(r["subject"]).split(","))  # not 16 digits: all stars
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not rows:
        err.print(text("ops_no_audit"))
        return
    table = Table(*(text(f"col_{c}") for c in ("time", "username", "action", "source", "nik", "details")))
    for r in rows:
        details = ", ".join(f"{k}={v}" for k, v in r["details"].items())  # type: ignore[attr-defined]
        table.add_row(
            str(r["time"]), str(r["user"]), str(r["action"]), str(r["source"]), str(r["subject"] or "-"), details
        )
    Console(width=max(160, Console().width)).print(table)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; translate rekam's user errors into one line on stderr and exit 1.

    Usage errors are Typer's own (exit 2). Anything else is a bug and keeps its traceback.
    Files rekam makes hold personal data: the process runs with umask 077 (files 0600, folders 0700).
    """
    os.umask(0o077)
    try:
        try:
            app(args=argv)
        except InvalidOptions as exc:  # the library names its options; here they are flags
            raise exc.renamed(FLAGS) from None
    except RekamUserError as exc:
        err.print(f"[bold red]{text('error_prefix')}[/] {exc}", highlight=False, soft_wrap=True, markup=True)
        sys.exit(exc.exit_code)
