// The team's field page (issue 20, docs/field.md): works offline at the stop.
//
// What the phone keeps, in IndexedDB (database "rekam-lapangan"), nothing in cookies:
// - kv "session": the device's token and what the login answered (team, point, region);
// - the day package: kv "day" (the /api/v1/lapangan/hari answer), "log" (outcomes the server
//   has answered, to show them by the person) and "extra" (people added at a stop). Logout and
//   a revoked device wipe it;
// - "queue": the outcomes not yet answered. Each gets its key (crypto.randomUUID) once, when
//   it is logged, and keeps it until the server answers: a retry after a lost answer sends the
//   same key, which the server stores once. Stored or already: removed from the queue. Refused:
//   kept with its message, never sent again. A revoked device keeps its queue, marked, for
//   "Unduh antrean" (a JSON file an admin can read).
// Plain IndexedDB (no wrapper library): three stores and a handful of one-transaction steps.
"use strict";

(function () {
  const W = JSON.parse(document.body.dataset.words);
  const PROVINCES = new Set(document.body.dataset.provinces.split(" "));
  const OUTCOMES = document.body.dataset.outcomes.split(" ");
  const LANG = document.body.dataset.lang === "en" ? "en-GB" : "id-ID";
  const DB_NAME = "rekam-lapangan";
  const BATCH = 50; // outcomes per request (the server takes at most 200)
  const $ = (id) => document.getElementById(id);

  // ---- IndexedDB, plainly --------------------------------------------------------------------

  let dbPromise = null;

  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = () => {
          const d = req.result;
          d.createObjectStore("kv");
          d.createObjectStore("queue", { keyPath: "key" });
          d.createObjectStore("log", { keyPath: "key" });
          d.createObjectStore("extra", { keyPath: "id" });
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return dbPromise;
  }

  // One transaction: ``work(stores, done)`` makes its requests; the promise settles when the
  // transaction commits (with what ``done`` was given) or aborts.
  async function tx(names, mode, work) {
    const d = await db();
    return new Promise((resolve, reject) => {
      const t = d.transaction(names, mode);
      let result;
      const stores = {};
      names.forEach((n) => { stores[n] = t.objectStore(n); });
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
      work(stores, (value) => { result = value; });
    });
  }

  const get = (store, key) => tx([store], "readonly", (s, done) => {
    const r = s[store].get(key);
    r.onsuccess = () => done(r.result);
  });
  const all = (store) => tx([store], "readonly", (s, done) => {
    const r = s[store].getAll();
    r.onsuccess = () => done(r.result);
  });
  const put = (store, value, key) => tx([store], "readwrite", (s) => {
    if (key === undefined) { s[store].put(value); } else { s[store].put(value, key); }
  });

  async function wipeDay() {
    await tx(["kv", "log", "extra"], "readwrite", (s) => {
      s.kv.delete("day");
      s.log.clear();
      s.extra.clear();
    });
  }

  // ---- small helpers ---------------------------------------------------------------------------

  function say(message, kind) {
    const el = $("status");
    el.textContent = message || "";
    el.className = "status" + (kind ? " " + kind : "");
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
  }

  function pad(n) { return String(Math.abs(Math.trunc(n))).padStart(2, "0"); }

  // The device's clock with its offset: 2024-11-14T09:05:12+07:00.
  function isoNow() {
    const d = new Date();
    const off = -d.getTimezoneOffset();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + (off >= 0 ? "+" : "-") + pad(off / 60) + ":" + pad(off % 60);
  }

  function longDay(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return new Intl.DateTimeFormat(LANG, { weekday: "long", day: "numeric", month: "short", year: "numeric" })
      .format(new Date(y, m - 1, d));
  }

  function shortDay(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return new Intl.DateTimeFormat(LANG, { day: "numeric", month: "short", year: "numeric" }).format(new Date(y, m - 1, d));
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === null || v === undefined || v === false) { return; }
      if (k === "class") { e.className = v; } else if (k === "text") { e.textContent = v; } else { e.setAttribute(k, v); }
    });
    children.forEach((c) => { if (c !== null && c !== undefined) { e.append(c); } });
    return e;
  }

  function outcomeWord(outcome) { return W["outcome_" + outcome] || outcome; }

  // ---- the NIK and birth date of a person added at a stop (as the counter checks them) -------

  function dateOrNull(y, m, d) {
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? t : null;
  }

  // The message refusing ``nik`` (the first wrong part, left to right), or null when it is valid.
  function nikProblem(nik) {
    if (!/^[0-9]{16}$/.test(nik)) { return fill(W.nik_length, { n: nik.length }); }
    if (!PROVINCES.has(nik.slice(0, 2)) || nik.slice(2, 4) === "00" || nik.slice(4, 6) === "00") { return W.nik_region; }
    const raw = Number(nik.slice(6, 8));
    const day = raw > 40 ? raw - 40 : raw;
    const month = Number(nik.slice(8, 10));
    const yy = Number(nik.slice(10, 12));
    const inRange = (raw >= 1 && raw <= 31) || (raw >= 41 && raw <= 71);
    if (!inRange || !(dateOrNull(1900 + yy, month, day) || dateOrNull(2000 + yy, month, day))) { return W.nik_date; }
    if (nik.slice(12) === "0000") { return W.nik_serial; }
    return null;
  }

  function birthProblem(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
    const d = m && dateOrNull(Number(m[1]), Number(m[2]), Number(m[3]));
    if (!d || d > new Date() || Number(m[1]) < 1900) { return W.birth_date_bad; }
    return null;
  }

  // ---- state on the page -----------------------------------------------------------------------

  let session = null;
  let syncing = false;

  // person id ("<stop_id>|<ref>" or "<stop_id>|x:<extra id>") -> its newest outcome and state.
  async function outcomesByPerson() {
    const [queue, log] = await Promise.all([all("queue"), all("log")]);
    const found = new Map();
    const add = (item, state) => {
      const id = item.stop_id + "|" + (item.ref !== null ? item.ref : "x:" + item.extra_id);
      const old = found.get(id);
      if (!old || old.item.added <= item.added) { found.set(id, { item, state }); }
    };
    log.forEach((i) => add(i, i.status === "already" && i.code === "sudah_direkam" ? "elsewhere" : "sent"));
    queue.forEach((i) => add(i, i.state));
    return found;
  }

  function badgeText(entry) {
    if (!entry) { return ""; }
    if (entry.state === "elsewhere") { return W.state_elsewhere; }
    return outcomeWord(entry.item.outcome) + " · " + (W["state_" + entry.state] || entry.state);
  }

  // ---- screens ---------------------------------------------------------------------------------

  function show(screen) {
    ["login", "work"].forEach((id) => { $(id).hidden = id !== screen; });
  }

  async function showNet() {
    $("net").textContent = navigator.onLine ? W.online : W.offline;
    $("net").className = "net " + (navigator.onLine ? "on" : "off");
  }

  async function refreshQueue() {
    const queue = await all("queue");
    const waiting = queue.filter((i) => i.state === "waiting").length;
    $("waiting").textContent = fill(W.waiting, { n: waiting });
    $("waiting").dataset.count = String(waiting);
    const refused = queue.filter((i) => i.state === "refused");
    $("refused").hidden = refused.length === 0;
    $("refused-list").replaceChildren(...refused.map((i) => el("li", {},
      el("strong", { text: i.who || "" }), " · " + outcomeWord(i.outcome) + ": " + (i.message || ""))));
    const revoked = queue.filter((i) => i.state === "revoked").length;
    $("revoked-count").textContent = fill(W.revoked_count, { n: revoked });
  }

  async function refreshBadges() {
    const found = await outcomesByPerson();
    document.querySelectorAll("details.person").forEach((d) => {
      const entry = found.get(d.dataset.person);
      const badge = d.querySelector(".badge");
      badge.textContent = badgeText(entry);
      badge.className = "badge" + (entry ? " " + entry.state : "");
      d.classList.toggle("done", Boolean(entry));
    });
    document.querySelectorAll("section.stop").forEach((s) => {
      const people = s.querySelectorAll("details.person");
      const done = s.querySelectorAll("details.person.done").length;
      s.querySelector(".tally").textContent = fill(W.tally, { done, n: people.length });
    });
    await refreshQueue();
  }

  // What the team may log for a listed person: not a recording again for one recorded since the
  // snapshot (at a counter or by a device: "recorded_since"), nor an activation for one whose
  // IKD was activated since ("ikd_since"). The server would answer "already" or refuse them.
  function offered(person) {
    const not = new Set();
    if (person.recorded_since) { not.add("direkam"); not.add("gagal_rekam"); }
    if (person.ikd_since) { not.add("aktivasi_ikd"); }
    return OUTCOMES.filter((o) => !not.has(o));
  }

  function servedMarks(person) {
    return [person.recorded_since ? fill(W.recorded_since, { date: shortDay(person.recorded_since) }) : null,
      person.ikd_since ? fill(W.ikd_since, { date: shortDay(person.ikd_since) }) : null].filter(Boolean);
  }

  function personCard(stop, id, title, meta, person) {
    const buttons = offered(person).map((o) => el("button", { type: "button", "data-outcome": o, text: outcomeWord(o) }));
    const marks = servedMarks(person);
    const d = el("details", { class: "person" + (marks.length ? " served" : ""), "data-person": id },
      el("summary", {}, el("span", { class: "name", text: title }), el("span", { class: "meta", text: meta }),
        marks.length ? el("span", { class: "since", text: marks.join(" · ") }) : null,
        el("span", { class: "badge" })),
      el("div", { class: "outcomes" }, ...buttons));
    d.addEventListener("click", (event) => {
      const b = event.target.closest("button[data-outcome]");
      if (b) { logOutcome(stop, person, title, b.dataset.outcome, d); }
    });
    return d;
  }

  function listedMeta(p) {
    const parts = [p.nik, p.age !== undefined ? fill(W.age, { n: p.age }) : null, p.sex,
      p.rt || p.rw ? "RT " + (p.rt || "-") + "/RW " + (p.rw || "-") : null, p.dusun,
      p.recorded_since ? null : p.status]; // recorded since the snapshot: its status is old news
    return parts.filter(Boolean).join(" · ");
  }

  function addForm(stop) {
    const form = el("form", { class: "add-form", novalidate: "novalidate" },
      el("label", { text: W.add_nik }, el("input", { name: "nik", inputmode: "numeric", autocomplete: "off", maxlength: "20" })),
      el("p", { class: "muted", text: W.add_or }),
      el("label", { text: W.add_name }, el("input", { name: "name", autocomplete: "off", maxlength: "120" })),
      el("label", { text: W.add_birth }, el("input", { name: "birth_date", type: "date" })),
      el("p", { class: "error", role: "alert", hidden: "hidden" }),
      el("button", { type: "submit", class: "big", text: W.add_button }));
    form.addEventListener("submit", (event) => { event.preventDefault(); addPerson(stop, form); });
    return el("details", { class: "add" }, el("summary", { text: W.add_title }), form);
  }

  function extraCard(stop, x) {
    const title = x.nik ? x.nik.slice(0, 6) + "**********" : x.name;
    const meta = x.nik ? W.added_by_nik : fill(W.added_born, { date: x.birth_date });
    return personCard(stop, stop.stop_id + "|x:" + x.id, title, W.added + " · " + meta, { extra: x });
  }

  async function renderDay() {
    const [day, extras] = await Promise.all([get("kv", "day"), all("extra")]);
    const box = $("days");
    if (!day) {
      box.replaceChildren(el("p", { class: "empty", text: W.no_day }));
      $("loaded").textContent = "";
      await refreshBadges();
      return;
    }
    $("loaded").textContent = fill(W.loaded_at, { when: new Date(day.loaded_at).toLocaleString(LANG) });
    const sections = [];
    day.answer.days.forEach((d) => {
      sections.push(el("h2", { class: "day", text: longDay(d.date) }));
      if (!d.stops.length) { sections.push(el("p", { class: "empty", text: W.no_stops })); }
      d.stops.forEach((stop, i) => {
        const expected = Object.values(stop.expected || {}).reduce((a, b) => a + b, 0);
        const people = (stop.people || []).map((p) =>
          personCard(stop, stop.stop_id + "|" + p.ref, p.name, listedMeta(p), p));
        const added = extras.filter((x) => x.stop_id === stop.stop_id).sort((a, b) => a.added - b.added)
          .map((x) => extraCard(stop, x));
        const section = el("section", { class: "stop", "data-stop": stop.stop_id },
          el("h3", { text: (i + 1) + ". " + stop.name }),
          el("p", { class: "muted", text: [stop.start + "–" + stop.leave, stop.desa_name, W["kind_" + stop.kind] || stop.kind,
            fill(W.expected, { n: Math.round(expected) })].filter(Boolean).join(" · ") }),
          el("p", { class: "tally" }),
          el("div", { class: "people" }, ...people, ...added),
          addForm(stop));
        sections.push(section);
      });
    });
    box.replaceChildren(...sections);
    await refreshBadges();
  }

  async function start() {
    showNet();
    session = await get("kv", "session");
    const revoked = await get("kv", "revoked");
    const held = (await all("queue")).some((i) => i.state === "revoked");
    // shown until the held outcomes are exported and dealt with (also after logging in again)
    $("revoked").hidden = !(revoked || held);
    $("revoked-message").textContent = revoked ? revoked.message : W.revoked_default;
    await refreshQueue();
    if (!session || !session.token) {
      $("who").textContent = "";
      show("login");
      if (session && session.username) { $("username").value = session.username; }
      if (session && session.label) { $("label").value = session.label; }
      say(revoked ? "" : W.login_needed);
      return;
    }
    $("who").textContent = session.username + " · " + W.team + " " + session.team;
    show("work");
    await renderDay();
    say("");
    if (navigator.onLine) { sync(); }
  }

  // ---- actions ---------------------------------------------------------------------------------

  async function logIn(event) {
    event.preventDefault();
    const error = $("login-error");
    error.hidden = true;
    const body = { username: $("username").value.trim(), password: $("password").value, label: $("label").value.trim() };
    let response;
    try {
      response = await fetch("/api/v1/lapangan/perangkat", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
    } catch (e) {
      error.textContent = W.login_offline;
      error.hidden = false;
      return;
    }
    const data = await response.json().catch(() => ({}));
    if (response.status !== 201) {
      error.textContent = data.detail && typeof data.detail === "string" ? data.detail : fill(W.server_error, { status: response.status });
      error.hidden = false;
      return;
    }
    const old = await get("kv", "session");
    if (old && old.username && old.username !== body.username) { await wipeDay(); }
    session = { token: data.token, device_id: data.device_id, team: data.team, service_point: data.service_point,
      region: data.region, username: body.username, label: body.label };
    await put("kv", session, "session");
    await tx(["kv"], "readwrite", (s) => { s.kv.delete("revoked"); });
    $("password").value = "";
    if (navigator.storage && navigator.storage.persist) { navigator.storage.persist().catch(() => {}); }
    await start();
    await loadDay();
  }

  async function authorized(path, options) {
    const opts = Object.assign({}, options || {});
    opts.headers = Object.assign({ Authorization: "Bearer " + session.token }, opts.headers || {});
    return fetch(path, opts);
  }

  // A 401: a revoked device (wipe the day, keep the queue marked), else a token that has run
  // out (log in again; the day and the queue stay). True when it was one.
  async function refusedLogin(response) {
    if (response.status !== 401) { return false; }
    const data = await response.json().catch(() => ({}));
    const message = typeof data.detail === "string" ? data.detail : W.revoked_default;
    if (data.code === "device_revoked") {
      await wipeDay();
      await tx(["kv", "queue"], "readwrite", (s) => {
        const r = s.queue.getAll();
        r.onsuccess = () => r.result.filter((i) => i.state === "waiting").forEach((i) => {
          i.state = "revoked";
          s.queue.put(i);
        });
        s.kv.put({ message, device_id: session.device_id, at: isoNow() }, "revoked");
        s.kv.put({ username: session.username, label: session.label }, "session");
      });
    } else {
      await put("kv", { username: session.username, label: session.label }, "session");
      say(W.login_again, "warn");
    }
    await start();
    if (data.code !== "device_revoked") { say(W.login_again, "warn"); }
    return true;
  }

  async function loadDay() {
    say(W.loading);
    let response;
    try {
      response = await authorized("/api/v1/lapangan/hari");
    } catch (e) {
      say(W.load_offline, "warn");
      return;
    }
    if (await refusedLogin(response)) { return; }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      say(typeof data.detail === "string" ? data.detail : fill(W.server_error, { status: response.status }), "warn");
      return;
    }
    const stops = new Set(data.days.flatMap((d) => d.stops.map((s) => s.stop_id)));
    await tx(["kv", "log", "extra"], "readwrite", (s) => {
      s.kv.put({ answer: data, loaded_at: new Date().toISOString() }, "day");
      [s.log, s.extra].forEach((store) => {
        const r = store.getAll();
        r.onsuccess = () => r.result.filter((i) => !stops.has(i.stop_id)).forEach((i) => store.delete(store.keyPath === "key" ? i.key : i.id));
      });
    });
    await renderDay();
    const n = data.days.reduce((a, d) => a + d.stops.length, 0);
    say(fill(W.loaded, { n }), "ok");
  }

  async function logOutcome(stop, person, who, outcome, card) {
    const x = person.extra || null;
    const item = {
      key: crypto.randomUUID(),
      stop_id: stop.stop_id,
      ref: x ? null : person.ref,
      nik: x && x.nik ? x.nik : null,
      name: x && !x.nik ? x.name : null,
      birth_date: x && !x.nik ? x.birth_date : null,
      outcome,
      occurred_at: isoNow(),
      note: null,
      // on the device only (never sent): the state, the order, whom the screen names
      state: "waiting",
      added: Date.now() + Math.random() / 1000,
      extra_id: x ? x.id : null,
      who,
    };
    await put("queue", item);
    card.open = false;
    await refreshBadges();
    say(fill(W.logged, { who, outcome: outcomeWord(outcome) }), "ok");
    if (navigator.onLine) { sync(); }
  }

  async function addPerson(stop, form) {
    const error = form.querySelector(".error");
    const nik = form.nik.value.replace(/[\s.-]+/g, "");
    const name = form.name.value.trim();
    const birth = form.birth_date.value;
    let problem = null;
    let x = null;
    if (nik) {
      problem = nikProblem(nik);
      x = { id: crypto.randomUUID(), stop_id: stop.stop_id, nik, name: null, birth_date: null, added: Date.now() };
    } else if (name.length < 2) {
      problem = W.add_need;
    } else {
      problem = birthProblem(birth);
      x = { id: crypto.randomUUID(), stop_id: stop.stop_id, nik: null, name: name.toUpperCase(), birth_date: birth,
        added: Date.now() };
    }
    if (problem) {
      error.textContent = problem;
      error.hidden = false;
      return;
    }
    error.hidden = true;
    await put("extra", x);
    form.reset();
    form.closest("details").open = false;
    const card = extraCard(stop, x);
    form.closest("section.stop").querySelector(".people").append(card);
    card.open = true;
    await refreshBadges();
    card.querySelector("button").focus();
  }

  // Send the waiting outcomes, 50 at a time, until none is left or the network fails. Each
  // answer is applied in one transaction: stored/already leave the queue, refused stay.
  async function sync() {
    if (syncing || !session || !session.token) { return; }
    syncing = true;
    try {
      for (;;) {
        const waiting = (await all("queue")).filter((i) => i.state === "waiting").sort((a, b) => a.added - b.added);
        if (!waiting.length) { break; }
        say(fill(W.syncing, { n: waiting.length }));
        const batch = waiting.slice(0, BATCH);
        const body = batch.map((i) => ({ key: i.key, stop_id: i.stop_id, ref: i.ref, nik: i.nik, name: i.name,
          birth_date: i.birth_date, outcome: i.outcome, occurred_at: i.occurred_at, note: i.note }));
        let response;
        try {
          response = await authorized("/api/v1/lapangan/hasil", {
            method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ outcomes: body }),
          });
        } catch (e) {
          say(W.sync_offline, "warn");
          return;
        }
        if (await refusedLogin(response)) { return; }
        const data = await response.json().catch(() => ({}));
        if (!response.ok || !Array.isArray(data.results)) {
          say(fill(W.server_error, { status: response.status }), "warn");
          return;
        }
        const answered = await apply(batch, data.results);
        await refreshBadges();
        if (!answered) { say(fill(W.server_error, { status: response.status }), "warn"); return; }
      }
      const refused = (await all("queue")).filter((i) => i.state === "refused").length;
      say(refused ? fill(W.synced_refused, { n: refused }) : W.synced, refused ? "warn" : "ok");
    } finally {
      syncing = false;
      await refreshQueue();
    }
  }

  async function apply(batch, results) {
    const sent = new Map(batch.map((i) => [i.key, i]));
    let answered = 0;
    await tx(["queue", "log"], "readwrite", (s) => {
      results.forEach((r) => {
        const item = sent.get(r.key);
        if (!item) { return; }
        answered += 1;
        if (r.status === "stored" || r.status === "already") {
          s.queue.delete(item.key);
          s.log.put({ key: item.key, stop_id: item.stop_id, ref: item.ref, extra_id: item.extra_id, outcome: item.outcome,
            added: item.added, status: r.status, code: r.code || null });
        } else {
          item.state = "refused";
          item.message = r.message || r.code || "";
          item.code = r.code || null;
          s.queue.put(item);
        }
      });
    });
    return answered;
  }

  async function exportQueue() {
    const queue = await all("queue");
    const revoked = await get("kv", "revoked");
    const file = {
      exported_at: isoNow(),
      device_id: (revoked && revoked.device_id) || (session && session.device_id) || null,
      username: session ? session.username : null,
      outcomes: queue.map((i) => ({ key: i.key, state: i.state, message: i.message || null, stop_id: i.stop_id, ref: i.ref,
        nik: i.nik, name: i.name, birth_date: i.birth_date, outcome: i.outcome, occurred_at: i.occurred_at, note: i.note })),
    };
    const blob = new Blob([JSON.stringify(file, null, 2)], { type: "application/json" });
    const a = el("a", { href: URL.createObjectURL(blob), download: "antrean-lapangan-" + isoNow().slice(0, 10) + ".json" });
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    // the held outcomes may go once they are in a file (never before: they are the team's work)
    $("drop-held").hidden = !queue.some((i) => i.state === "revoked");
  }

  async function dropHeld() {
    await tx(["queue"], "readwrite", (s) => {
      const r = s.queue.getAll();
      r.onsuccess = () => r.result.filter((i) => i.state === "revoked").forEach((i) => s.queue.delete(i.key));
    });
    await tx(["kv"], "readwrite", (s) => { s.kv.delete("revoked"); });
    $("drop-held").hidden = true;
    await start();
    say(W.held_dropped, "ok");
  }

  async function logOut() {
    if (session && session.token && navigator.onLine) { await sync(); }
    await wipeDay();
    await put("kv", { username: session ? session.username : "", label: session ? session.label : "" }, "session");
    $("days").replaceChildren();
    await start();
    say(W.logged_out, "ok");
  }

  // ---- wiring ----------------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", () => {
    $("login-form").addEventListener("submit", logIn);
    $("load").addEventListener("click", loadDay);
    $("sync").addEventListener("click", sync);
    $("logout").addEventListener("click", logOut);
    $("export").addEventListener("click", exportQueue);
    $("export-work").addEventListener("click", exportQueue);
    $("drop-held").addEventListener("click", dropHeld);
    window.addEventListener("online", () => { showNet(); sync(); });
    window.addEventListener("offline", showNet);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/lapangan/sw.js", { scope: "/lapangan" }).catch(() => {});
    }
    start().catch((e) => say(String(e), "warn"));
  });
})();
