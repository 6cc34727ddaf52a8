"""The team's field page on the device (issue 20), in real Chromium at 390x844: rekam's real
page, service worker and script under the real CSP, against an in-memory fake of the three
contract routes (tests/web/field_fake.py) that can lose an answer, refuse an outcome or revoke
the device on demand. The same journeys against the real ``rekam serve`` are in
tests/web/test_field_browser.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.web.field_fake import Fake, serve
from tests.web.test_browser import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-services.sh installs it)"),
]

PHONE = {"width": 390, "height": 844}
PASSWORD = "rahasia-demo-123"
TODAY = dt.date.today().isoformat()


@pytest.fixture
def fake() -> Fake:
    return Fake(today=TODAY)


@pytest.fixture
def site(fake: Fake) -> Iterator[str]:
    with serve(fake) as url:
        yield url


@pytest.fixture
def context(browser: Any, site: str) -> Iterator[Any]:
    ctx = browser.new_context(base_url=site, viewport=PHONE, locale="id-ID", accept_downloads=True, has_touch=True)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    return pg


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(_shots() / f"{name}.png"))


def log_in(page: Any, label: str = "HP ketua 1", name: str | None = None) -> None:
    page.goto("/lapangan")
    page.fill("#username", "ketua1")
    page.fill("#password", PASSWORD)
    page.fill("#label", label)
    if name:
        shot(page, name)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("section.stop")
    # the service worker is active: it has cached the page (reloading offline needs it)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def tap(page: Any, person: str, outcome: str) -> None:
    card = page.locator(f'details.person[data-person="{person}"]')
    card.locator("summary").click()
    card.locator(f'button[data-outcome="{outcome}"]').click()
    expect(card.locator(".badge")).not_to_have_text("")
    expect(card).not_to_have_attribute("open", "")


def until_waiting(page: Any, n: int) -> None:
    """Wait until the page shows ``n`` outcomes waiting (the CSP allows no eval: no wait_for_function)."""
    expect(page.locator("#waiting")).to_have_attribute("data-count", str(n))


def waiting(page: Any) -> int:
    return int(page.locator("#waiting").get_attribute("data-count") or "-1")


def stored(page: Any, store: str) -> Any:
    return page.evaluate(
        """store => new Promise((resolve, reject) => {
             const r = indexedDB.open("rekam-lapangan", 1);
             r.onsuccess = () => { const q = r.result.transaction(store).objectStore(store).getAll();
               q.onsuccess = () => resolve(q.result); q.onerror = () => reject(q.error); };
           })""",
        store,
    )


def fifty(page: Any) -> list[str]:
    """50 outcomes at three stops: 20, 20 and 10 people, each outcome kind used."""
    kinds = ["direkam", "gagal_rekam", "tidak_hadir", "menolak", "sudah_punya_ktp", "belum_16", "pindah", "meninggal"]
    people = [f"{TODAY}/T01/{s}|r{s}-{p}" for s, n in ((1, 20), (2, 20), (3, 10)) for p in range(1, n + 1)]
    for i, person in enumerate(people):
        tap(page, person, kinds[i % len(kinds)])
    return people


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide at {PHONE['width']}px"


def test_offline_outcomes_survive_a_reload_and_are_sent_once(page: Any, context: Any, fake: Fake) -> None:
    log_in(page, name="lapangan-masuk")
    assert page.locator("section.stop").count() == 3
    no_sideways_scroll(page)
    shot(page, "lapangan-hari")
    context.set_offline(True)
    expect(page.locator("#net.off")).to_be_visible()
    fifty(page)
    assert waiting(page) == 50
    assert page.locator("#waiting").inner_text() == "menunggu terkirim: 50"
    keys = sorted(i["key"] for i in stored(page, "queue"))
    assert len(set(keys)) == 50 and fake.stored == {}

    page.reload()  # offline: the page comes from the service worker, the queue from IndexedDB
    page.wait_for_selector("section.stop")
    assert waiting(page) == 50
    assert sorted(i["key"] for i in stored(page, "queue")) == keys
    assert page.locator("details.person.done").count() == 50
    no_sideways_scroll(page)
    page.locator("section.stop").nth(2).locator("details.person").nth(10).locator("summary").click()
    page.locator("section.stop").nth(2).scroll_into_view_if_needed()
    shot(page, "lapangan-luring")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "lapangan-antrean")

    context.set_offline(False)  # the online event sends them
    until_waiting(page, 0)
    assert sorted(fake.stored) == keys
    assert all(n <= 50 for n in fake.batches)
    assert page.locator("details.person .badge.sent").count() == 50
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "lapangan-terkirim")
    body = fake.stored[keys[0]]
    assert set(body) == {"key", "stop_id", "ref", "nik", "name", "birth_date", "outcome", "occurred_at", "note"}
    assert dt.datetime.fromisoformat(body["occurred_at"]).tzinfo is not None


def test_a_lost_answer_is_sent_again_with_the_same_keys(page: Any, fake: Fake) -> None:
    log_in(page)
    page.context.set_offline(True)
    for p in range(1, 6):
        tap(page, f"{TODAY}/T01/1|r1-{p}", "direkam")
    keys = sorted(i["key"] for i in stored(page, "queue"))
    fake.drop_answers = 1  # the server stores them and the answer is lost
    page.context.set_offline(False)
    expect(page.locator("#status.warn")).to_be_visible()
    assert waiting(page) == 5 and sorted(fake.stored) == keys
    page.click("#sync")
    until_waiting(page, 0)
    assert sorted(fake.stored) == keys  # the same five keys: nothing new stored
    assert fake.batches == [5, 5]


def test_a_refused_outcome_is_kept_with_its_message_and_not_sent_again(page: Any, fake: Fake) -> None:
    fake.refuse_refs = {"r1-2"}
    log_in(page)
    tap(page, f"{TODAY}/T01/1|r1-1", "direkam")
    until_waiting(page, 0)
    tap(page, f"{TODAY}/T01/1|r1-2", "aktivasi_ikd")
    page.wait_for_selector("#refused:not([hidden])")
    assert "Sudah aktif." in page.locator("#refused-list").inner_text()
    sent = list(fake.batches)
    page.click("#sync")
    tap(page, f"{TODAY}/T01/1|r1-3", "direkam")
    until_waiting(page, 0)
    expect(page.locator("details.person .badge.sent")).to_have_count(2)
    assert fake.batches == [*sent, 1]  # the refused one is not sent again
    assert [i["state"] for i in stored(page, "queue")] == ["refused"]
    shot(page, "lapangan-ditolak")


def test_a_revoked_device_wipes_the_day_and_keeps_its_queue_for_export(page: Any, fake: Fake, tmp_path: Path) -> None:
    log_in(page)
    page.context.set_offline(True)
    for p in range(1, 4):
        tap(page, f"{TODAY}/T01/2|r2-{p}", "direkam")
    for device in fake.devices.values():
        device["revoked"] = True
    page.context.set_offline(False)
    page.wait_for_selector("#revoked:not([hidden])")
    assert "dicabut" in page.locator("#revoked-message").inner_text()
    assert fake.stored == {}
    assert page.locator("#work").is_hidden() and page.locator("#login").is_visible()
    assert stored(page, "log") == [] and stored(page, "extra") == []
    kv = page.evaluate(
        """() => new Promise(resolve => { const r = indexedDB.open("rekam-lapangan", 1);
             r.onsuccess = () => { const q = r.result.transaction("kv").objectStore("kv").getAllKeys();
               q.onsuccess = () => resolve(q.result); }; })"""
    )
    assert "day" not in kv
    session = page.evaluate(
        """() => new Promise(resolve => { const r = indexedDB.open("rekam-lapangan", 1);
             r.onsuccess = () => { const q = r.result.transaction("kv").objectStore("kv").get("session");
               q.onsuccess = () => resolve(q.result); }; })"""
    )
    assert "token" not in session
    assert [i["state"] for i in stored(page, "queue")] == ["revoked"] * 3
    shot(page, "lapangan-dicabut")
    with page.expect_download() as download:
        page.click("#export")
    path = tmp_path / "antrean.json"
    download.value.save_as(path)
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert [o["state"] for o in exported["outcomes"]] == ["revoked"] * 3
    assert {o["ref"] for o in exported["outcomes"]} == {"r2-1", "r2-2", "r2-3"}
    # logging in again (a new device) still shows them held until they are removed after the export
    log_in(page, label="HP baru")
    expect(page.locator("#revoked")).to_be_visible()
    assert fake.stored == {}  # a new device does not send the held outcomes
    expect(page.locator("#drop-held")).to_be_hidden()  # not before they are in a file
    with page.expect_download():
        page.click("#export")
    page.click("#drop-held")
    expect(page.locator("#revoked")).to_be_hidden()
    assert stored(page, "queue") == []


def test_people_served_since_the_snapshot_are_marked_and_not_offered_again(page: Any, fake: Fake) -> None:
    """The day package marks who was recorded (``recorded_since``) or had IKD activated
    (``ikd_since``) since the snapshot: the card says so with the day, and offers no recording
    (direkam, gagal rekam) or no activation again; the other outcomes stay."""
    fake.served = {"r1-2": {"recorded_since": "2024-11-14"}, "r1-3": {"ikd_since": "2024-11-15"}}
    log_in(page)
    recorded = page.locator(f'details.person[data-person="{TODAY}/T01/1|r1-2"]')
    expect(recorded.locator(".since")).to_have_text("sudah direkam 14 Nov 2024")
    assert "belum rekam" not in recorded.locator(".meta").inner_text()  # the snapshot's word is old news
    recorded.locator("summary").click()
    offered = recorded.locator("button[data-outcome]")
    names = [offered.nth(i).get_attribute("data-outcome") for i in range(offered.count())]
    assert "direkam" not in names and "gagal_rekam" not in names
    assert {"tidak_hadir", "pindah", "meninggal", "aktivasi_ikd"} <= set(names)
    activated = page.locator(f'details.person[data-person="{TODAY}/T01/1|r1-3"]')
    expect(activated.locator(".since")).to_have_text("IKD sudah aktif 15 Nov 2024")
    assert activated.locator('button[data-outcome="aktivasi_ikd"]').count() == 0
    assert activated.locator('button[data-outcome="direkam"]').count() == 1
    plain = page.locator(f'details.person[data-person="{TODAY}/T01/1|r1-1"]')
    assert plain.locator(".since").count() == 0 and plain.locator("button[data-outcome]").count() == 9
    no_sideways_scroll(page)
    # The other outcomes are logged as ever.
    recorded.locator('button[data-outcome="pindah"]').click()
    expect(recorded.locator(".badge")).to_have_text("pindah · terkirim")


def test_people_added_at_a_stop_by_nik_or_by_name(page: Any, fake: Fake) -> None:
    log_in(page)
    stop = page.locator("section.stop").nth(0)
    stop.locator("details.add summary").click()
    form = stop.locator("form.add-form")
    form.locator("input[name=nik]").fill("1371014")
    form.locator("button[type=submit]").click()
    assert "16 angka" in form.locator(".error").inner_text()
    form.locator("input[name=nik]").fill("1371019913050001")  # day 99
    form.locator("button[type=submit]").click()
    assert "tanggal lahir" in form.locator(".error").inner_text()
    form.locator("input[name=nik]").fill("1371015705080003")  # a woman born 17-05-2008
    form.locator("button[type=submit]").click()
    added = stop.locator("details.person[open]")
    added.locator('button[data-outcome="direkam"]').click()
    stop.locator("details.add summary").click()
    form.locator("input[name=name]").fill("Siti Aminah")
    form.locator("input[name=birth_date]").fill("2008-03-01")
    form.locator("button[type=submit]").click()
    stop.locator("details.person[open]").locator('button[data-outcome="sudah_punya_ktp"]').click()
    until_waiting(page, 0)
    expect(page.locator("details.person .badge.sent")).to_have_count(2)
    bodies = sorted(fake.stored.values(), key=lambda b: b["outcome"])
    assert [(b["ref"], b["nik"], b["name"], b["birth_date"], b["outcome"]) for b in bodies] == [
        (None, "1371015705080003", None, None, "direkam"),
        (None, None, "SITI AMINAH", "2008-03-01", "sudah_punya_ktp"),
    ]
    shot(page, "lapangan-tambah")


def test_logout_wipes_the_day_and_the_token(page: Any) -> None:
    log_in(page)
    page.click("#logout")
    page.wait_for_selector("#login:not([hidden])")
    assert page.locator("section.stop").count() == 0
    keys = page.evaluate(
        """() => new Promise(resolve => { const r = indexedDB.open("rekam-lapangan", 1);
             r.onsuccess = () => { const q = r.result.transaction("kv").objectStore("kv").get("session");
               q.onsuccess = () => resolve(q.result); }; })"""
    )
    assert keys == {"username": "ketua1", "label": "HP ketua 1"}
    page.reload()
    page.wait_for_selector("#login:not([hidden])")
    assert page.locator("section.stop").count() == 0


def _shots() -> Path:
    from tests.web.test_browser import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def test_axe_finds_nothing_serious_on_the_login_and_the_day(browser: Any, site: str) -> None:
    from tests.web.tour import report, serious_violations

    ctx = browser.new_context(base_url=site, viewport=PHONE, locale="id-ID", bypass_csp=True)  # axe is injected
    try:
        page = ctx.new_page()
        page.goto("/lapangan")
        expect(page.locator("#login")).to_be_visible()
        found = serious_violations(page)
        assert found == [], report(found)
        log_in(page)
        page.locator("details.person").first.locator("summary").click()
        page.locator("section.stop").first.locator("details.add summary").click()
        found = serious_violations(page)
        assert found == [], report(found)
    finally:
        ctx.close()
