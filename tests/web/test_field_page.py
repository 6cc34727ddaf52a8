"""The field page's files as the server sends them (issue 20): the page needs no login and
holds no personal data, runs under the app's CSP (no inline script: its words are a JSON
block), the service worker is allowed the scope /lapangan and names a version that changes
with the files it caches, and the manifest installs the page from /lapangan."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rekam.web import field_pages, text


def test_the_page_is_served_without_a_login_under_the_apps_csp(client: TestClient) -> None:
    r = client.get("/lapangan")
    assert r.status_code == 200
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", r.text, flags=re.S)
    assert scripts == [(' src="/static/field.js" defer', "")]  # no inline script at all
    import html

    words = json.loads(html.unescape(re.search(r'<body data-words="([^"]*)"', r.text).group(1)))  # type: ignore[union-attr]
    assert words["waiting"] == "menunggu terkirim: {n}"
    assert words["outcome_sudah_punya_ktp"] == "sudah punya KTP-el"
    assert words["kind_sekolah"] == "sekolah"
    outcomes = re.search(r'data-outcomes="([^"]+)"', r.text)
    assert outcomes and outcomes.group(1).split() == list(field_pages.OUTCOMES)
    assert 'rel="manifest" href="/lapangan/manifest.webmanifest"' in r.text


def test_the_page_in_english(client: TestClient) -> None:
    r = client.get("/lapangan?lang=en")
    assert '<html lang="en">' in r.text and "Log in this team device" in r.text
    assert "&#34;waiting&#34;: &#34;waiting to send: {n}&#34;" in r.text  # the words, escaped in data-words


def test_every_field_word_is_in_both_languages() -> None:
    keys = {lang: {k for k in text.LABELS[lang] if k.startswith("field_")} for lang in text.LANGS}
    assert keys["id"] == keys["en"]
    assert {f"field_outcome_{o}" for o in field_pages.OUTCOMES} <= keys["id"]


def test_the_service_worker_has_the_scope_and_a_version_of_its_files(client: TestClient) -> None:
    r = client.get("/lapangan/sw.js")
    assert r.status_code == 200
    assert r.headers["service-worker-allowed"] == "/lapangan"
    assert r.headers["content-type"].startswith("text/javascript")
    assert f'const VERSION = "{field_pages.worker_version()}";' in r.text
    assert "__VERSION__" not in r.text and "__SHELL__" not in r.text
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", r.text).group(1))  # type: ignore[union-attr]
    assert shell[0] == "/lapangan"
    for path in shell:  # everything it caches is there
        assert client.get(path).status_code == 200, path
    assert not any(p.startswith("/api/") for p in shell)  # the API is never cached


def test_the_version_changes_with_a_cached_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    before = field_pages.worker_version()
    copy = tmp_path / "web"
    shutil.copytree(field_pages.WEB, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(field_pages, "WEB", copy)
    field_pages.worker_version.cache_clear()
    try:
        assert field_pages.worker_version() == before
        field_pages.worker_version.cache_clear()
        (copy / "static" / "field.js").write_text("// changed\n", encoding="utf-8")
        assert field_pages.worker_version() != before
    finally:
        field_pages.worker_version.cache_clear()


def test_the_manifest_installs_the_page(client: TestClient) -> None:
    r = client.get("/lapangan/manifest.webmanifest")
    assert r.headers["content-type"].startswith("application/manifest+json")
    manifest = r.json()
    assert manifest["start_url"] == "/lapangan" and manifest["scope"] == "/lapangan"
    assert manifest["display"] == "standalone" and manifest["lang"] == "id"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert sizes == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        got = client.get(icon["src"])
        assert got.status_code == 200 and got.content[:4] == b"\x89PNG"
