"""Security of the import page (issue #13, findings 1, 2, 5, 14 and the file modes): an upload
cannot replace a kab/kota outside the user's scope, a quarantine file shows only the rows of
the user's scope, uploads are bounded (bytes, rows, xlsx expansion) and leave nothing behind.

Asserts compare counts, kab/kota codes and file names only: no personal data is printed when
one fails."""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import person
from tests.web.conftest import PASSWORD

from rekam.config import Settings

HEADER = (
    "NIK,NO_KK,NAMA_LGKP,JENIS_KLMIN,TGL_LHR,STAT_KWN,NO_PROP,NO_KAB,NO_KEC,NO_KEL,"
    "STATUS_KTP_EL,TGL_REKAM,TGL_KWN,KEWARGANEGARAAN,IZIN_TINGGAL"
)
#: username -> (role, region)
USERS = {
    "padang": ("dinas", "13.71"),
    "solok": ("dinas", "13.72"),
    "sumbar": ("admin-provinsi", "13"),
    "riau": ("admin-provinsi", "14"),
    "pusat": ("admin-pusat", None),
}


def csv_bytes(rows: list[str]) -> bytes:
    return (HEADER + "\n" + "\n".join(rows) + "\n").encode()


def rows_of(kab: str, n: int, start: int = 1) -> list[str]:
    return [person(i, "1990-01-01", desa=f"{kab}.01.1001") for i in range(start, start + n)]


def bad_rows_of(kab: str, n: int, start: int = 1) -> list[str]:
    """Rows with a valid region but no birth date: quarantined as BIRTH_DATE_MISSING."""
    return [r.replace(",1990-01-01,", ",,") for r in rows_of(kab, n, start)]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Settings, Path]]:
    """A home holding Kota Padang (13.71, 8 rows) and Kota Solok (13.72, 6 rows), and the users."""
    from rekam.api import Rekam
    from rekam.ops import users
    from rekam.ops.db import close_all, open_db

    home = tmp_path / "home"
    settings = Settings(home=home)
    db = open_db(settings=settings)
    for name, (role, region) in USERS.items():
        users.add_user(db, name, PASSWORD, role, region)
    base = tmp_path / "base.csv"
    base.write_bytes(csv_bytes(rows_of("13.71", 8) + rows_of("13.72", 6, start=101)))
    Rekam(settings).import_register([base], export_date=__import__("datetime").date(2024, 11, 1))
    monkeypatch.setenv("REKAM_HOME", str(home))
    yield settings, home
    close_all()


@pytest.fixture
def browser(site: tuple[Settings, Path]) -> Iterator[TestClient]:
    from rekam.web.app import create_app

    settings, _ = site
    with TestClient(create_app(settings)) as c:
        yield c


def log_in(client: TestClient, username: str) -> None:
    client.cookies.clear()
    r = client.post("/login", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303, r.status_code


def follow(client: TestClient, html: str) -> str:
    job = re.search(r'hx-get="/impor/([^"]+)"', html)
    assert job, "no import job on the page"
    for _ in range(600):
        html = client.get(f"/impor/{job.group(1)}").text
        if "hx-trigger" not in html:
            return html
        time.sleep(0.1)
    raise AssertionError("the import did not finish")


def upload(client: TestClient, name: str, data: bytes, day: str = "2024-11-13") -> str:
    """Upload as a whole export: these files are smaller than the kab/kota they replace, which
    the page refuses unless confirmed (its own tests: tests/web/test_import_page.py)."""
    started = client.post(
        "/impor", files=[("files", (name, data, "text/csv"))], data={"export_date": day, "force": "1"}
    )
    if started.status_code != 200 or 'hx-get="/impor/' not in started.text:
        return started.text
    return follow(client, started.text)


def state_of(home: Path) -> tuple[str | None, list[str], dict[str, int], list[str]]:
    """CURRENT, the snapshot manifests, the rows per kab/kota, the quarantine files."""
    from rekam.register.store import Store

    store = Store(home)
    snap = store.current()
    quarantine = sorted(p.name for p in (home / "quarantine").glob("*")) if (home / "quarantine").is_dir() else []
    return (
        store.current_id(),
        sorted(p.name for p in store.snapshots_dir.glob("*.json")),
        {k: p.rows for k, p in snap.parts.items()} if snap else {},
        quarantine,
    )


# --- finding 1: an import is limited to the uploader's region ----------------------------------


@pytest.mark.parametrize(("user", "kab"), [("solok", "13.71"), ("riau", "13.72")])
def test_an_upload_outside_the_users_region_is_refused_and_changes_nothing(browser, site, user, kab) -> None:  # noqa: ANN001
    _, home = site
    before = state_of(home)
    log_in(browser, user)
    done = upload(browser, "padang5.csv", csv_bytes(rows_of(kab, 5, start=500) + bad_rows_of(kab, 1, start=600)))
    assert 'id="import-error"' in done
    assert kab in done and USERS[user][1] in done  # the message names the kab/kota and the user's region
    assert state_of(home) == before  # no snapshot, no CURRENT change, no quarantine file
    assert not list(home.glob("rekam-impor-*"))


def test_an_upload_inside_the_users_region_is_imported(browser, site) -> None:  # noqa: ANN001
    _, home = site
    log_in(browser, "solok")
    done = upload(browser, "solok.csv", csv_bytes(rows_of("13.72", 3, start=700)))
    assert 'id="result"' in done and 'id="import-error"' not in done
    assert state_of(home)[2] == {"13.71": 8, "13.72": 3}


def test_an_operator_imports_nothing(site) -> None:  # noqa: ANN001
    from rekam.api import Rekam
    from rekam.errors import PermissionDenied
    from rekam.ops import points, users
    from rekam.ops.db import open_db

    settings, home = site
    db = open_db(settings=settings)
    points.add_point(db, "SP-SLK", "Disdukcapil Kota Solok", "13.72", "dinas")
    users.add_user(db, "loket", PASSWORD, "operator", None, "SP-SLK")
    before = state_of(home)
    path = home.parent / "solok.csv"
    path.write_bytes(csv_bytes(rows_of("13.72", 2)))
    with pytest.raises(PermissionDenied):
        Rekam(settings).import_register([path], user=users.load(db, "loket"))
    assert state_of(home) == before


# --- finding 2: quarantine files are served by scope --------------------------------------------


def province_import(home: Path) -> Path:
    """An import of the whole province (local administrator) whose quarantine holds Padang's
    rows only; its file name."""
    from rekam.api import Rekam

    path = home.parent / "sumbar.csv"
    path.write_bytes(csv_bytes(rows_of("13.71", 3, 800) + bad_rows_of("13.71", 4, 900) + rows_of("13.72", 2, 950)))
    result = Rekam(Settings(home=home)).import_register([path], force=True)  # smaller than the kab/kota: confirmed
    assert result.quarantined == 4 and result.quarantine_file
    return Path(result.quarantine_file)


@pytest.mark.parametrize("user", ["solok", "riau"])
def test_another_regions_quarantine_is_neither_listed_nor_downloaded(browser, site, user) -> None:  # noqa: ANN001
    _, home = site
    qfile = province_import(home)
    log_in(browser, user)
    page = browser.get("/impor").text
    assert qfile.name not in page
    r = browser.get(f"/karantina/{qfile.name}")
    assert r.status_code in (403, 404)
    assert "BIRTH_DATE_MISSING" not in r.text  # no quarantined row came with the refusal


def test_a_quarantine_file_shows_only_the_rows_of_the_users_scope(browser, site) -> None:  # noqa: ANN001
    from rekam.api import Rekam

    _, home = site
    path = home.parent / "mixed.csv"
    path.write_bytes(csv_bytes(bad_rows_of("13.71", 3, 800) + bad_rows_of("13.72", 2, 900) + rows_of("13.72", 1, 990)))
    qfile = Path(Rekam(Settings(home=home)).import_register([path], force=True).quarantine_file or "")
    for user, expected in (("solok", {"13.72": 2}), ("padang", {"13.71": 3}), ("sumbar", {"13.71": 3, "13.72": 2})):
        log_in(browser, user)
        assert qfile.name in browser.get("/impor").text
        r = browser.get(f"/karantina/{qfile.name}")
        assert r.status_code == 200
        rows = list(csv.DictReader(io.StringIO(r.text)))
        kabs: dict[str, int] = {}
        for row in rows:
            kab = f"{int(row['NO_PROP']):02d}.{int(row['NO_KAB']):02d}"
            kabs[kab] = kabs.get(kab, 0) + 1
        assert kabs == expected, user


def test_a_quarantine_name_is_matched_only_against_the_users_files(browser, site) -> None:  # noqa: ANN001
    _, home = site
    province_import(home)
    log_in(browser, "solok")
    for name in ("..%2Faudit.log", "..%2F..%2Fetc%2Fpasswd", "%2E%2E", "ops.db"):
        r = browser.get(f"/karantina/{name}")
        assert r.status_code in (403, 404), name


# --- finding 5: bounded uploads, rows and xlsx; the import runs out of the server process ------


def limited(site: tuple[Settings, Path], **limits: int) -> TestClient:
    from dataclasses import replace

    from rekam.web.app import create_app

    settings, _ = site
    return TestClient(create_app(replace(settings, **limits)))


def test_an_upload_over_the_byte_limit_is_refused_and_nothing_kept(site) -> None:  # noqa: ANN001
    _, home = site
    before = state_of(home)
    big = csv_bytes(rows_of("13.72", 2)) + b"#" * (2 * 1024 * 1024)
    with limited(site, upload_max_mb=1) as client:
        log_in(client, "solok")
        r = client.post("/impor", files=[("files", ("siak_1372.csv", big, "text/csv"))])
        assert r.status_code == 413 and "REKAM_UPLOAD_MAX_MB" in r.text
        # without a Content-Length: refused while streaming
        body, ctype = _multipart("siak_1372.csv", big)
        r = client.post(
            "/impor",
            content=iter([body[i : i + 65536] for i in range(0, len(body), 65536)]),
            headers={"Content-Type": ctype},
        )
        assert r.status_code == 413 and "REKAM_UPLOAD_MAX_MB" in r.text
    assert state_of(home) == before
    assert not list(home.glob("rekam-impor-*"))


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "rekam-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_an_upload_over_the_row_limit_is_refused(site) -> None:  # noqa: ANN001
    _, home = site
    before = state_of(home)
    with limited(site, import_max_rows=3) as client:
        log_in(client, "solok")
        done = upload(client, "siak_1372.csv", csv_bytes(rows_of("13.72", 5)))
    assert 'id="import-error"' in done and "REKAM_IMPORT_MAX_ROWS" in done
    assert state_of(home) == before


def test_an_import_over_the_memory_limit_is_refused_with_a_message(site) -> None:  # noqa: ANN001
    _, home = site
    before = state_of(home)
    with limited(site, import_max_memory_mb=400) as client:
        log_in(client, "solok")
        done = upload(client, "siak_1372.csv", csv_bytes(rows_of("13.72", 50)))
    assert 'id="import-error"' in done
    assert "REKAM_IMPORT_MAX_MEMORY_MB" in done or "REKAM_MEMORY_LIMIT" in done  # the process's or DuckDB's
    assert state_of(home) == before
    assert not list(home.glob("rekam-impor-*"))


def zip_bomb(path: Path, megabytes: int) -> Path:
    """An xlsx-looking zip whose sheet expands from a few hundred KB to ``megabytes`` MB."""
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b" " * (1024 * 1024)
            for _ in range(megabytes):
                sheet.write(chunk)
    return path


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_an_xlsx_zip_bomb_is_refused_quickly_outside_the_server(site, tmp_path) -> None:  # noqa: ANN001
    _, home = site
    bomb = zip_bomb(tmp_path / "bom.xlsx", 300)
    assert bomb.stat().st_size < 1024 * 1024
    before = state_of(home)
    with limited(site) as client:
        log_in(client, "solok")
        rss = _rss_mb()
        started = time.monotonic()
        done = upload(client, "bom.xlsx", bomb.read_bytes())
        seconds = time.monotonic() - started
        grew = _rss_mb() - rss
    assert 'id="import-error"' in done and "REKAM_XLSX_MAX_RATIO" in done
    assert seconds < 30, seconds
    assert grew < 100, grew  # the server did not expand it
    assert state_of(home) == before


def test_the_library_refuses_an_xlsx_zip_bomb_before_opening_it(tmp_path) -> None:
    from rekam.api import Rekam
    from rekam.errors import IngestError

    bomb = zip_bomb(tmp_path / "bom.xlsx", 50)
    with pytest.raises(IngestError) as refused:
        Rekam(Settings(home=tmp_path / "home")).import_register([bomb])
    assert refused.value.key == "xlsx_too_large"


# --- finding 14: file names, and no upload left behind -----------------------------------------


@pytest.mark.parametrize("name", [".", "..", "../../x.csv", "..\\..\\x.csv", "", ".hidden.csv"])
def test_an_unsafe_file_name_is_renamed_and_the_upload_removed(browser, site, name) -> None:  # noqa: ANN001
    _, home = site
    log_in(browser, "solok")
    started = browser.post(
        "/impor",
        files=[("files", (name, csv_bytes(rows_of("13.72", 2)), "text/csv"))],
        data={"export_date": "2024-11-13", "force": "1"},  # 2 rows for Solok's 6: confirmed
    )
    assert started.status_code in (200, 400), started.status_code
    if started.status_code == 200:
        done = follow(browser, started.text)
        assert 'id="result"' in done, "the renamed file is imported"
    assert not list(home.glob("rekam-impor-*"))
    assert not (home.parent / "x.csv").exists()


def test_the_safe_name_rule() -> None:
    from rekam.web.imports import safe_name

    assert safe_name("siak_1371.csv", 1) == "siak_1371.csv"
    assert safe_name("C:\\data\\siak 1372.xlsx", 1) == "siak 1372.xlsx"
    assert [safe_name(n, 2) for n in (".", "..", "", None, "/", "...")] == ["ekspor-2.csv"] * 6
    assert safe_name("../../etc/passwd", 1) == "passwd"
    assert safe_name("a$(rm).csv", 1) == "a_rm_.csv"


def test_stale_upload_folders_are_removed_when_the_server_starts(site) -> None:  # noqa: ANN001
    from rekam.web.app import create_app
    from rekam.web.imports import Upload

    settings, home = site
    stale = home / "rekam-impor-mati"
    stale.mkdir()
    (stale / "siak_1371.csv").write_bytes(csv_bytes(rows_of("13.71", 2)))
    alive = Upload(home)  # an upload another worker is receiving
    try:
        with TestClient(create_app(settings)):
            assert not stale.exists()
            assert alive.folder.exists()
    finally:
        alive.remove()
    assert not alive.folder.exists()


def test_a_web_import_leaves_only_private_files(browser, site) -> None:  # noqa: ANN001
    import os
    import stat

    _, home = site
    old = os.umask(0o022)
    try:
        log_in(browser, "solok")
        done = upload(browser, "solok.csv", csv_bytes(rows_of("13.72", 3) + bad_rows_of("13.72", 1, 50)))
    finally:
        os.umask(old)
    assert 'id="result"' in done
    for p in [home, *home.rglob("*")]:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode & 0o077 == 0, (str(p.relative_to(home)), oct(mode))


def test_a_malformed_upload_is_refused_with_a_message(browser, site) -> None:  # noqa: ANN001
    _, home = site
    log_in(browser, "solok")
    for body, ctype in (
        (b"--x\r\nnonsense", "multipart/form-data; boundary=x"),
        (b"a=b", "application/x-www-form-urlencoded"),
    ):
        r = browser.post("/impor", content=body, headers={"Content-Type": ctype})
        assert r.status_code == 400, r.status_code
    assert not list(home.glob("rekam-impor-*"))
