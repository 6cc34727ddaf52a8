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
    assert Store(home).require_current().id == first.id
    # Confirmed (the page's box): the kab/kota is replaced.
    started = client.post(
        "/impor",
        files=[("files", ("koreksi.csv", partial, "text/csv"))],
        data={"export_date": "2024-11-20", "force": "1"},
    )
    assert 'id="result"' in _follow(client, started.text)
    assert Store(home).require_current().rows == 3
