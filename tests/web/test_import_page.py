"""The import page: an upload runs the CLI's import in the background, the page follows its
steps and shows the summary; a bad file is refused with its reason and changes nothing."""

from __future__ import annotations

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


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, Path]]:
    from rekam.ops import users
    from rekam.ops.db import close_all, open_db
    from rekam.web.app import create_app

    home = tmp_path / "home"
    settings = Settings(home=home)
    users.add_user(open_db(settings=settings), "padang", PASSWORD, "dinas", "13.71")
    monkeypatch.setenv("REKAM_HOME", str(home))
    with TestClient(create_app(settings)) as c:
        c.post("/login", data={"username": "padang", "password": PASSWORD})
        yield c, home
    close_all()


def _follow(client: TestClient, html: str) -> str:
    job = re.search(r'hx-get="/impor/([^"]+)"', html)
    assert job, html
    for _ in range(200):
        html = client.get(f"/impor/{job.group(1)}").text
        if "hx-trigger" not in html:
            return html
        time.sleep(0.1)
    raise AssertionError("the import did not finish")


def test_an_upload_is_imported_and_summarised(fresh) -> None:  # noqa: ANN001
    client, home = fresh
    rows = [person(i, "1990-01-01") for i in range(1, 6)] + ["123,bad"]
    csv = (HEADER + "\n" + "\n".join(rows) + "\n").encode()
    started = client.post(
        "/impor", files=[("files", ("siak_1371.csv", csv, "text/csv"))], data={"export_date": "2024-11-13"}
    )
    assert started.status_code == 200
    done = _follow(client, started.text)
    assert "membaca siak_1371.csv" in done and 'id="result"' in done
    cells = re.findall(r'<td class="n">([\d.]+)</td>', done)
    assert cells[:3] == ["6", "5", "1"]  # read = accepted + quarantined
    assert "/karantina/" in done
    from rekam.register.store import Store

    assert Store(home).require_current().export_date.isoformat() == "2024-11-13"
    assert not list(home.glob("rekam-impor-*"))  # the upload is not kept


def test_an_ikd_file_is_uploaded_beside_the_export(fresh) -> None:  # noqa: ANN001
    """The form's second file field: the IKD file is read with the export (docs/import.md,
    "The IKD file"), not as a register file, and its rows are counted apart."""
    client, home = fresh
    rows = [person(i, "1990-01-01", status="CARD_ISSUED", recorded="2015-01-01") for i in range(1, 4)]
    csv = (HEADER + "\n" + "\n".join(rows) + "\n").encode()
    niks = [r.split(",")[0] for r in rows]
    ikd = f"NIK;STATUS_IKD\n{niks[0]};AKTIF\n{niks[0]};AKTIF\n1372010101900001;AKTIF\n".encode()
    page = client.get("/impor").text
    assert 'name="ikd_files"' in page
    started = client.post(
        "/impor",
        files=[("files", ("siak_1371.csv", csv, "text/csv")), ("ikd_files", ("ikd_1371.csv", ikd, "text/csv"))],
        data={"export_date": "2024-11-13"},
    )
    assert started.status_code == 200
    done = _follow(client, started.text)
    assert 'id="result"' in done and 'id="ikd-files"' in done, done
    cells = re.findall(r'<td class="n">([\d.]+)</td>', done)
    assert cells[:3] == ["3", "3", "0"]  # the register's rows alone
    ikd_row = re.search(r'<table id="ikd-files">.*?</table>', done, re.S)
    assert ikd_row and re.findall(r'<td class="n">([\d.]+)</td>', ikd_row.group(0)) == ["3", "1", "2"]
    assert "IKD_NIK_DUPLICATE" in ikd_row.group(0) and "IKD_NIK_UNKNOWN" in ikd_row.group(0)
    import duckdb

    [(active,)] = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{home}/parts/*/*.parquet') WHERE accepted AND ikd_status = 'AKTIF'"
    ).fetchall()
    assert active == 1


def test_an_ikd_file_alone_is_no_import(fresh) -> None:  # noqa: ANN001
    client, home = fresh
    started = client.post("/impor", files=[("ikd_files", ("ikd.csv", b"NIK,STATUS_IKD\n", "text/csv"))])
    assert started.status_code >= 400
    assert not (home / "CURRENT").exists()


def test_a_bad_upload_is_refused_with_its_reason(fresh) -> None:  # noqa: ANN001
    client, home = fresh
    started = client.post("/impor", files=[("files", ("siak.csv", b"\x00\x01\x02binary", "text/csv"))])
    done = _follow(client, started.text)
    assert 'id="import-error"' in done and "siak.csv" in done and "Traceback" not in done
    from rekam.register.store import Store

    assert Store(home).current() is None  # nothing changed


def test_another_users_job_is_not_found(fresh) -> None:  # noqa: ANN001
    client, _ = fresh
    assert client.get("/impor/tidak-ada").status_code == 404


def test_a_partial_file_does_not_wipe_a_kab_kota_unless_confirmed(fresh) -> None:  # noqa: ANN001
    from rekam.register.store import Store

    client, home = fresh
    whole = (HEADER + "\n" + "\n".join(person(i, "1990-01-01") for i in range(1, 41)) + "\n").encode()
    started = client.post(
        "/impor", files=[("files", ("siak_1371.csv", whole, "text/csv"))], data={"export_date": "2024-11-13"}
    )
    assert 'id="result"' in _follow(client, started.text)
    first = Store(home).require_current()
    # A 3-row correction file for the same kab/kota: 40 -> 3 rows is refused, nothing changes.
    partial = (HEADER + "\n" + "\n".join(person(i, "1990-01-01") for i in range(1, 4)) + "\n").encode()
    started = client.post(
        "/impor", files=[("files", ("koreksi.csv", partial, "text/csv"))], data={"export_date": "2024-11-20"}
    )
    done = _follow(client, started.text)
    assert 'id="import-error"' in done and "13.71: 40 -&gt; 3" in done and "Traceback" not in done
    # The before/after table of the refusal, the shrinking kab/kota marked, and a way back.
    refused = done.split('id="refused-comparison"')[1].split("</table>")[0]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", refused.split('class="shrinks"')[1])
    assert cells[:4] == ["13.71", "40", "3", "-92,50 %"], cells
    assert 'id="cancel-import" href="/impor"' in done
    assert Store(home).require_current().id == first.id
    # Confirmed (the page's box): the kab/kota is replaced.
    started = client.post(
        "/impor",
        files=[("files", ("koreksi.csv", partial, "text/csv"))],
        data={"export_date": "2024-11-20", "force": "1"},
    )
    assert 'id="result"' in _follow(client, started.text)
    assert Store(home).require_current().rows == 3


def test_the_job_shows_the_comparison_the_reasons_and_a_fresh_snapshot_list(fresh) -> None:  # noqa: ANN001
    client, _ = fresh
    rows = [person(i, "1990-01-01") for i in range(1, 6)] + ["123,bad", "456,bad"]
    csv = (HEADER + "\n" + "\n".join(rows) + "\n").encode()
    started = client.post(
        "/impor", files=[("files", ("siak_1371.csv", csv, "text/csv"))], data={"export_date": "2024-11-13"}
    )
    done = _follow(client, started.text)
    comparison = done.split('id="comparison"')[1].split("</table>")[0]
    assert "13.71" in comparison and "baru" in comparison  # a kab/kota new to the register
    reasons = done.split('id="quarantine-reasons"')[1].split("</table>")[0]
    assert "TOO_FEW_FIELDS" in reasons and "jumlah kolom kurang" in reasons and ">2<" in reasons
    # The snapshot list is replaced in place (htmx out-of-band) with the new current snapshot.
    box = done.split('id="snapshots-box"')[1]
    assert 'hx-swap-oob="true"' in box[:40] and "✔ aktif" in box


def test_rollback_on_the_page_only_for_ones_own_import(fresh) -> None:  # noqa: ANN001
    from rekam import audit
    from rekam.api import Rekam
    from rekam.ops import users
    from rekam.ops.db import open_db
    from rekam.register.store import Store

    client, home = fresh
    settings = Settings(home=home)
    users.add_user(open_db(settings=settings), "agam", PASSWORD, "dinas", "13.06")
    padang = (HEADER + "\n" + "\n".join(person(i, "1990-01-01") for i in range(1, 6)) + "\n").encode()
    started = client.post(
        "/impor", files=[("files", ("siak_1371.csv", padang, "text/csv"))], data={"export_date": "2024-11-13"}
    )
    assert 'id="result"' in _follow(client, started.text)
    mine = Store(home).require_current()
    agam_rows = [person(i, "1990-01-01").replace("1371", "1306").replace(",71,", ",06,") for i in range(1, 4)]
    agam_file = home.parent / "siak_1306.csv"
    agam_file.write_text(HEADER + "\n" + "\n".join(agam_rows) + "\n")
    theirs = Rekam(settings).import_register([agam_file], user="agam")
    assert Store(home).require_current().id == theirs.snapshot
    # Agam's import is not Padang's to undo: refused, nothing changed.
    refused = client.post("/impor/rollback", data={"yakin": "1"}, follow_redirects=False)
    assert refused.status_code == 403 and "13.71" in refused.text
    assert Store(home).require_current().id == theirs.snapshot
    # Agam may; then the page offers Padang to roll back his own.
    assert Rekam(settings).rollback(user="agam").id == mine.id
    page = client.get("/impor").text
    assert 'id="rollback"' not in page  # Padang's import is the first snapshot: nothing before it
    again = client.post(
        "/impor", files=[("files", ("siak_1371.csv", padang, "text/csv"))], data={"export_date": "2024-11-20"}
    )
    assert 'id="result"' in _follow(client, again.text)
    assert 'id="rollback"' in client.get("/impor").text
    back = client.post("/impor/rollback", data={"yakin": "1"}, follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == f"/impor?kembali={mine.id}"
    assert Store(home).require_current().id == mine.id
    assert f"Dikembalikan ke snapshot {mine.id}" in client.get(back.headers["location"]).text
    rollbacks = [e for e in audit.entries(home) if e["action"] == "rollback"]
    assert [e["user"] for e in rollbacks] == ["agam", "padang"]


def test_the_job_shows_the_snapshot_diff_per_kab_kota_and_desa(fresh) -> None:  # noqa: ANN001
    client, home = fresh
    a, b = "13.71.01.1001", "13.71.01.1002"
    before = [person(i, "1990-01-01", desa=a) for i in range(1, 21)]
    started = client.post(
        "/impor",
        files=[("files", ("siak_1371.csv", (HEADER + "\n" + "\n".join(before) + "\n").encode(), "text/csv"))],
        data={"export_date": "2024-11-13"},
    )
    done = _follow(client, started.text)
    assert 'id="diff-first"' in done and "Snapshot pertama" in done and 'id="diff"' not in done
    # Person 1 died, person 2 moved to desa B, person 3 recorded, person 30 moved in.
    after = [person(i, "1990-01-01", desa=a) for i in range(4, 21)]
    after += [person(2, "1990-01-01", desa=b), person(30, "1991-01-01", desa=a)]
    after += [person(3, "1990-01-01", desa=a, status="PRINT_READY_RECORD", recorded="2024-11-15")]
    started = client.post(
        "/impor",
        files=[("files", ("siak_1371.csv", (HEADER + "\n" + "\n".join(after) + "\n").encode(), "text/csv"))],
        data={"export_date": "2024-11-20"},
    )
    done = _follow(client, started.text)
    kab = done.split('id="diff"')[1].split("</table>")[0]
    # region, before, after, new, gone, moved in, moved out, newly wajib, newly recorded
    assert "13.71 Kota Padang" in kab and "Hilang" in done and "Baru rekam" in done
    assert re.findall(r'<td class="n">(\d+)</td>', kab) == ["20", "20", "1", "1", "0", "0", "0", "1"]
    desa = done.split('id="diff-desa"')[1].split("</details>")[0]
    rows = {
        code: re.findall(r'<td class="n">(\d+)</td>', row)
        for code, row in re.findall(r"<td>(13\.71\.01\.\d+) [^<]*</td>(.*?)</tr>", desa)
    }
    assert rows == {a: ["20", "19", "1", "1", "0", "1", "0", "1"], b: ["0", "1", "0", "0", "1", "0", "0", "0"]}
    # The people behind a count, by name (masked), from the page's link; audited.
    from rekam import audit

    link = re.search(r'href="(/impor/perubahan/[^"]+jenis=gone)"', done)
    assert link, done
    got = client.get(link.group(1).replace("&amp;", "&"))
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    [row] = got.text.splitlines()[1:]
    assert "ORANG 1;" in row and row.startswith("137101**********;") and row.endswith(f";{a};")
    assert [e["kind"] for e in audit.entries(home) if e["action"] == "diff-list"] == ["gone"]
    other = client.get(link.group(1) + "&wilayah=13.06")
    assert other.status_code == 403
