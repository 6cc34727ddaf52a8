"""The team's field page against the real server (issue 20, "Must show"): headless Chromium at
390x844 driving ``/lapangan`` on a real ``rekam serve`` (tests/web/server.py) with the demo
register, a plan of Kota Padang from today (two teams, kept in REKAM_HOME/plans) and two
team leaders (role ``tim``, each with a mobile point and a plan team), made with the CLI as an
admin would.

- Log in, load the day, go offline, log 50 outcomes at three stops, reload while offline (the
  page from the service worker, the outcomes from IndexedDB), come back online: the ops
  database holds exactly those 50 keys, once each.
- The same with the server killed (SIGKILL) while it stores the batch, then restarted: the
  device sends the same keys again and the database still holds 50, once each.
- Two devices (two browser contexts) of one team log the same person as recorded: one
  recording (both outcomes point to one event), the second device is told so; a third device
  that loads the day then sees the person "sudah direkam <tanggal>" with no recording offered.
- An outcome the server refuses is shown with its message; a revoked device is told so, its day
  wiped and its queue held, and nothing of it stored.

Screenshots: ``test-artifacts/screenshots/lapangan-server-*.png`` (docs/field.md's
``docs/img/lapangan-*.png`` are these, copied by hand after a look). The device's own journeys
(refused, revoked, added people) against a fake of the routes: tests/web/test_field_device.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from tests.web.conftest import PASSWORD
from tests.web.server import Server
from tests.web.test_browser import CHROMIUM, SHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-services.sh installs it)"),
]


def point_today() -> dt.date:
    """Today at the teams' service points (Asia/Jakarta, WIB): the day the app shows and the
    day a recording is logged on, which is tomorrow in UTC from 17:00 UTC on."""
    return dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()


PHONE = {"width": 390, "height": 844}
ELECTION = "2024-11-27"
#: team leader -> (mobile point, plan team)
LEADERS = {"ketua1": ("TIM-PDG-1", "T01")}
#: The team the tests work as (T01: on the demo register, scale 0.001, it has the most stops).
TEAM_LEADER = "ketua1"
#: outcomes the 50 cycle through (every kind that needs nothing of the person beforehand)
KINDS = ("direkam", "tidak_hadir", "menolak", "gagal_rekam", "sudah_punya_ktp", "belum_16")


def _rekam(home: Path, *args: str, stdin: str | None = None) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("REKAM_DATABASE_URL", "REKAM_LANG")}
    env["REKAM_HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, "-m", "rekam", *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="module")
def field_home(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web home, a plan of Kota Padang from today with two teams, and their leaders."""
    from rekam.api import Rekam
    from rekam.config import Settings
    from rekam.ops.db import close_all

    home = tmp_path_factory.mktemp("field-home") / "home"
    shutil.copytree(web_home, home)
    for leader, (point, team) in LEADERS.items():
        _rekam(home, "service-points", "add", point, "--name", f"Tim {team} Kota Padang", "--region", "13.71",
               "--kind", "keliling")  # fmt: skip
        _rekam(home, "users", "add", leader, "--role", "tim", "--service-point", point, "--team", team,
               stdin=PASSWORD + "\n")  # fmt: skip
    rekam = Rekam(Settings(home=home))
    today = point_today()
    raw = rekam.make_scenario(
        "13.71",
        today,
        today + dt.timedelta(days=2),
        teams=2,
        as_of=dt.date(2024, 11, 13),
        election_date=dt.date.fromisoformat(ELECTION),
        weekdays="1-7",
    )
    path = home / "padang-lapangan.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    rekam.solve_plan(path, time_limit=None, iterations=60, bound_time_limit=5)
    close_all()
    return home


@pytest.fixture(scope="module")
def field_server(field_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {k: v for k, v in os.environ.items() if k not in ("REKAM_DATABASE_URL", "REKAM_LANG")}
    env.update(REKAM_HOME=str(field_home), REKAM_ELECTION_DATE=ELECTION)
    proc = Server(env, tmp_path_factory.mktemp("field-log") / "serve.log", deadline_s=60, ready_path="/lapangan")
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


def phone(browser: Any, server: Server) -> Any:
    context = browser.new_context(base_url=server.url, viewport=PHONE, locale="id-ID", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"lapangan-server-{name}.png"))


def log_in(page: Any, leader: str, label: str, name: str | None = None) -> None:
    page.goto("/lapangan")
    page.fill("#username", leader)
    page.fill("#password", PASSWORD)
    page.fill("#label", label)
    if name:
        shot(page, name)
    page.click("#login-form button[type=submit]")
    expect(page.locator("#loaded")).not_to_have_text("")  # the day is loaded and kept
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # the page is cached


def until_waiting(page: Any, n: int) -> None:
    expect(page.locator("#waiting")).to_have_attribute("data-count", str(n))


def tap(page: Any, card: Any, outcome: str) -> None:
    card.locator("summary").click()
    card.locator(f'button[data-outcome="{outcome}"]').click()
    expect(card.locator(".badge")).not_to_have_text("")


def queue_keys(page: Any) -> list[str]:
    keys = page.evaluate(
        """() => new Promise((resolve, reject) => {
             const r = indexedDB.open("rekam-lapangan", 1);
             r.onsuccess = () => { const q = r.result.transaction("queue").objectStore("queue").getAllKeys();
               q.onsuccess = () => resolve(q.result); q.onerror = () => reject(q.error); };
           })"""
    )
    return sorted(keys)


def log_fifty(page: Any, name: str | None = None) -> dict[str, int]:
    """50 outcomes at the package's first three stops: everyone listed there, then people added
    by name and birth date (a stop's walk-ins), round the three stops. Outcomes per kind."""
    stops = page.locator("section.stop")
    assert stops.count() >= 3, "the team has three stops in its package"
    done: dict[str, int] = {}
    n = 0
    seen: set[str] = set()  # a person listed at two stops (a school and its desa) is logged once
    for s in range(3):
        people = stops.nth(s).locator("details.person")
        for p in range(people.count()):
            ref = (people.nth(p).get_attribute("data-person") or "").split("|", 1)[1]
            if n == 50 or ref in seen:
                continue
            seen.add(ref)
            kind = KINDS[n % len(KINDS)]
            served = "served" in (people.nth(p).get_attribute("class") or "")
            if served and kind in ("direkam", "gagal_rekam"):  # recorded since (another test): not offered
                kind = "tidak_hadir"
            tap(page, people.nth(p), kind)
            done[kind] = done.get(kind, 0) + 1
            n += 1
    while n < 50:
        stop = stops.nth(n % 3)
        stop.locator("details.add summary").click()
        form = stop.locator("form.add-form")
        form.locator("input[name=name]").fill(f"Orang Tambahan {n}")
        form.locator("input[name=birth_date]").fill(f"{1970 + n % 30}-0{1 + n % 9}-1{n % 10}")
        if name:  # the first person added, before the button
            form.scroll_into_view_if_needed()
            shot(page, name)
            name = None
        form.locator("button[type=submit]").click()
        added = stop.locator("details.person[open]").get_attribute("data-person")
        card = stop.locator(f'details.person[data-person="{added}"]')
        card.locator('button[data-outcome="sudah_punya_ktp"]').click()
        expect(card.locator(".badge")).not_to_have_text("")
        done["sudah_punya_ktp"] = done.get("sudah_punya_ktp", 0) + 1
        n += 1
    return done


def stored_outcomes(home: Path, keys: list[str]) -> list[Any]:
    """The ops database's field outcomes with these keys (read with the library)."""
    from rekam.config import Settings
    from rekam.ops.db import close_all, open_db
    from rekam.ops.field import outcomes

    try:
        wanted = set(keys)
        return [o for o in outcomes(open_db(settings=Settings(home=home))) if o.key in wanted]
    finally:
        close_all()


def field_server_home(server: Server) -> Path:
    return Path(server.env["REKAM_HOME"])


def test_fifty_outcomes_offline_survive_a_reload_and_are_stored_once(browser: Any, field_server: Server) -> None:
    page = phone(browser, field_server)
    log_in(page, TEAM_LEADER, "HP ketua tim 1", name="masuk")
    shot(page, "hari")
    page.context.set_offline(True)
    expect(page.locator("#net.off")).to_be_visible()
    kinds = log_fifty(page, name="tambah")
    until_waiting(page, 50)
    keys = queue_keys(page)
    assert len(keys) == 50
    page.evaluate("document.querySelectorAll('section.stop')[1].scrollIntoView(); window.scrollBy(0, -48)")
    shot(page, "luring")  # the second stop's people, each with an outcome waiting

    page.reload()  # offline: the page from the service worker, the day and the queue from IndexedDB
    expect(page.locator("section.stop").first).to_be_visible()
    until_waiting(page, 50)
    assert queue_keys(page) == keys
    assert page.locator("details.person.done").count() == 50
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "antrean")
    assert stored_outcomes(field_server_home(field_server), keys) == []

    page.context.set_offline(False)  # the online event sends them
    until_waiting(page, 0)
    assert queue_keys(page) == []
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "terkirim")
    found = stored_outcomes(field_server_home(field_server), keys)
    assert sorted(o.key for o in found) == keys  # 50, each once
    by_kind: dict[str, int] = {}
    for o in found:
        by_kind[o.outcome] = by_kind.get(o.outcome, 0) + 1
    assert by_kind == kinds
    recorded = [o.event_id for o in found if o.outcome == "direkam"]
    assert None not in recorded and len(set(recorded)) == len(recorded)  # one recording each
    page.context.close()


def test_the_server_killed_in_the_middle_of_a_sync(browser: Any, field_server: Server) -> None:
    home = field_server_home(field_server)
    page = phone(browser, field_server)
    log_in(page, TEAM_LEADER, "HP cadangan tim 1")
    page.context.set_offline(True)
    expect(page.locator("#net.off")).to_be_visible()
    log_fifty(page)
    keys = queue_keys(page)
    assert len(keys) == 50

    # SIGKILL as soon as the server has stored the first of them (while it stores the batch).
    seen: list[int] = []

    def kill_when_storing() -> None:
        placeholders = ",".join("?" * len(keys))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with sqlite3.connect(home / "ops.db", timeout=5) as db:
                (n,) = db.execute(f"SELECT count(*) FROM field_outcomes WHERE key IN ({placeholders})", keys).fetchone()
            if n:
                seen.append(n)
                field_server.kill9()
                return
            time.sleep(0.005)

    killer = threading.Thread(target=kill_when_storing)
    killer.start()
    page.context.set_offline(False)  # the online event starts the sync
    killer.join(timeout=90)
    assert seen, "the server stored something before it was killed"
    print(f"the server was killed with {seen[0]} of the 50 stored")  # shown with pytest -s
    expect(page.locator("#status.warn")).to_be_visible()  # the device was not answered
    assert queue_keys(page) != []
    field_server.start()  # restarted on the same port
    page.click("#sync")
    until_waiting(page, 0)
    found = stored_outcomes(home, keys)
    assert sorted(o.key for o in found) == keys, f"killed after {seen[0]} of 50"
    page.context.close()


def untouched_person(page: Any, back: int = 1) -> str:
    """A listed person of a stop after the first three (those the other tests log), not listed
    at those three: nobody has logged them yet (``back``: the last one, or the one before...;
    each test that needs one takes its own)."""
    ids: list[str] = page.eval_on_selector_all(
        "section.stop", "ss => ss.map(s => [...s.querySelectorAll('details.person')].map(d => d.dataset.person))"
    )
    first_three = {i.split("|", 1)[1] for stop in ids[:3] for i in stop}
    later = [i for stop in ids[3:] for i in stop if i.split("|", 1)[1] not in first_three]
    picked: list[str] = []  # from the last, one card per person
    for i in reversed(later):
        if i.split("|", 1)[1] not in {p.split("|", 1)[1] for p in picked}:
            picked.append(i)
    assert len(picked) >= back, f"the team has {back} listed people after its first three stops"
    return picked[back - 1]


def test_two_devices_of_one_team_record_the_same_person_once(browser: Any, field_server: Server) -> None:
    first, second = phone(browser, field_server), phone(browser, field_server)
    log_in(first, TEAM_LEADER, "HP ketua tim 1 (dua)")
    log_in(second, TEAM_LEADER, "HP anggota tim 1")
    person = untouched_person(first)
    keys = []
    for page in (first, second):
        page.context.set_offline(True)
        tap(page, page.locator(f'details.person[data-person="{person}"]'), "direkam")
        keys += queue_keys(page)
    first.context.set_offline(False)
    until_waiting(first, 0)
    second.context.set_offline(False)
    until_waiting(second, 0)
    card = second.locator(f'details.person[data-person="{person}"]')
    expect(card.locator(".badge")).to_have_text("sudah direkam (di loket atau perangkat lain)")
    card.scroll_into_view_if_needed()
    shot(second, "dua-perangkat")
    found = stored_outcomes(field_server_home(field_server), keys)
    assert len(found) == 2 and len({o.device_id for o in found}) == 2
    assert found[0].event_id is not None and found[0].event_id == found[1].event_id  # one recording

    # A third phone that loads the day now sees the person recorded today, and is offered no
    # recording of them (the day package's recorded_since).
    third = phone(browser, field_server)
    log_in(third, TEAM_LEADER, "HP anggota tim 1 (pagi berikutnya)")
    card = third.locator(f'details.person[data-person="{person}"]')
    day = point_today()
    months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    expect(card.locator(".since")).to_have_text(f"sudah direkam {day.day} {months[day.month - 1]} {day.year}")
    card.locator("summary").click()
    assert card.locator('button[data-outcome="direkam"]').count() == 0
    assert card.locator('button[data-outcome="gagal_rekam"]').count() == 0
    assert card.locator('button[data-outcome="tidak_hadir"]').count() == 1
    card.scroll_into_view_if_needed()
    shot(third, "sudah-direkam")
    for page in (first, second, third):
        page.context.close()


def test_a_refused_outcome_and_a_revoked_device_on_the_real_server(browser: Any, field_server: Server) -> None:
    """An activation of someone not yet recorded is refused (shown with the server's message, not
    sent again); a device an admin revokes is told so, its day wiped, its queue held."""
    import httpx

    home = field_server_home(field_server)
    page = phone(browser, field_server)
    log_in(page, TEAM_LEADER, "HP cadangan tim 1 (dicabut)")
    person = untouched_person(page, back=2)
    card = page.locator(f'details.person[data-person="{person}"]')
    tap(page, card, "aktivasi_ikd")  # online: sent at once, refused (not recorded yet)
    page.wait_for_selector("#refused:not([hidden])")
    assert "IKD" in page.locator("#refused-list").inner_text()
    until_waiting(page, 0)
    page.locator("#refused").scroll_into_view_if_needed()
    shot(page, "ditolak")

    page.context.set_offline(True)
    expect(page.locator("#net.off")).to_be_visible()
    tap(page, card, "tidak_hadir")
    other = page.locator("details.person:not(.done)").first.get_attribute("data-person")
    tap(page, page.locator(f'details.person[data-person="{other}"]'), "menolak")
    until_waiting(page, 2)
    held = queue_keys(page)
    device_id = page.evaluate(
        """() => new Promise((resolve, reject) => {
             const r = indexedDB.open("rekam-lapangan", 1);
             r.onsuccess = () => { const q = r.result.transaction("kv").objectStore("kv").get("session");
               q.onsuccess = () => resolve(q.result.device_id); q.onerror = () => reject(q.error); };
           })"""
    )
    with httpx.Client(base_url=field_server.url, timeout=30) as http:
        got = http.post("/api/v1/auth/token", data={"username": "padang", "password": PASSWORD})
        admin = {"Authorization": f"Bearer {got.json()['access_token']}"}
        assert http.post(f"/api/v1/lapangan/perangkat/{device_id}/cabut", headers=admin).status_code == 200
    page.context.set_offline(False)
    page.wait_for_selector("#revoked:not([hidden])")
    assert "dicabut" in page.locator("#revoked-message").inner_text()
    expect(page.locator("#work")).to_be_hidden()  # the day wiped: the login again
    expect(page.locator("#login")).to_be_visible()
    assert queue_keys(page) == held  # the queue held for the admin
    assert stored_outcomes(home, held) == []
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "dicabut")
    page.context.close()
