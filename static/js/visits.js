// The visit form on a phone with a weak signal (GRID-3).
// - What is typed is kept on the phone as a draft (localStorage) while typing.
// - "Save" puts the visit in an outbox on the phone and tries to send it; without a connection it stays
//   there and is sent when the connection returns (the "online" event, page load, every 30 seconds).
// - Each typed visit carries an idempotency key (a UUID made here): the server saves a retried submission
//   once. After a visit is queued the form starts afresh with a new key.
// - A small service worker (/visits/sw.js) keeps the form page and its files so it opens offline.
// The page works without this script: the form then posts normally (its key comes from the server).
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form) return;
  var box = document.getElementById("visit-outbox");
  var script = document.getElementById("visits-script");
  var OUTBOX = form.dataset.outbox;
  var DRAFT = form.dataset.draft;
  var sending = false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function read(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full: the form still posts */ }
  }

  function pairs() {
    var out = [];
    new FormData(form).forEach(function (v, k) { out.push([k, v]); });
    return out;
  }

  function fill(list) {
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "submit" || el.name === "csrfmiddlewaretoken") return;
      if (el.type === "checkbox") el.checked = false;
    });
    list.forEach(function (p) {
      var k = p[0], v = p[1];
      if (k === "csrfmiddlewaretoken") return;
      var els = form.querySelectorAll("[name='" + k + "']");
      Array.prototype.forEach.call(els, function (el) {
        if (el.type === "checkbox") { if (el.value === v || (v === "on" && el.value === "on")) el.checked = true; }
        else if (!seen[k]) { el.value = v; }
      });
      seen[k] = true;
    });
  }

  function show(text, kind) {
    box.hidden = false;
    box.className = "msg" + (kind ? " msg-" + kind : "");
    box.textContent = text;
  }

  function pendingNote() {
    var items = read(OUTBOX) || [];
    if (items.length) {
      show(box.dataset.pending + " " + items.length, "warning");
    }
    return items.length;
  }

  function token() {
    var el = form.querySelector("[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }

  function flush() {
    if (sending) return Promise.resolve();
    var items = read(OUTBOX) || [];
    if (!items.length) return Promise.resolve();
    sending = true;
    var item = items[0];
    var body = new URLSearchParams();
    item.data.forEach(function (p) { body.append(p[0], p[0] === "csrfmiddlewaretoken" ? (token() || p[1]) : p[1]); });
    return fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (json) { return { status: response.status, json: json }; },
        function () { return { status: response.status, json: null }; });
    }).then(function (r) {
      var rest = (read(OUTBOX) || []).filter(function (x) { return x.key !== item.key; });
      if (r.status === 200 && r.json && r.json.ok) {
        write(OUTBOX, rest);
        sending = false;
        show(box.dataset.sent + " " + r.json.message, "success");
        var link = document.createElement("a");
        link.href = r.json.url;
        link.textContent = " →";
        box.appendChild(link);
        if (rest.length) return flush();
        return null;
      }
      if (r.status === 400 && r.json) {
        // Refused (e.g. the end before the start): back into the form to correct; nothing was saved.
        write(OUTBOX, rest);
        sending = false;
        fill(item.data);
        var lines = [];
        Object.keys(r.json.errors).forEach(function (k) { lines.push((k ? k + "：" : "") + r.json.errors[k].join(" ")); });
        show(box.dataset.refused + " " + lines.join("；"), "error");
        return null;
      }
      sending = false;  // logged out, server error: keep it and try again later
      pendingNote();
      return null;
    }, function () {
      sending = false;  // no connection: keep it
      pendingNote();
    });
  }

  // restore a draft typed before the page was closed or reloaded
  var draft = read(DRAFT);
  if (draft && draft.length && !form.querySelector(".error")) fill(draft);
  var keyField = form.querySelector("[name=key]");
  if (keyField && !(draft && draft.length)) keyField.value = uuid();

  form.addEventListener("input", function () { write(DRAFT, pairs()); });
  form.addEventListener("change", function () { write(DRAFT, pairs()); });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = pairs();
    var key = (data.filter(function (p) { return p[0] === "key"; })[0] || [null, uuid()])[1];
    var items = (read(OUTBOX) || []).filter(function (x) { return x.key !== key; });
    items.push({ key: key, url: form.action || window.location.pathname, data: data, at: new Date().toISOString() });
    write(OUTBOX, items);
    localStorage.removeItem(DRAFT);
    // a new visit starts with a new key; the people who went and the date stay
    if (keyField) keyField.value = uuid();
    ["found", "problems", "follow_up", "companions"].forEach(function (n) {
      var el = form.querySelector("[name=" + n + "]");
      if (el) el.value = "";
    });
    var solved = form.querySelector("[name=solved]");
    if (solved) solved.checked = false;
    if (!navigator.onLine) {
      show(box.dataset.saved, "warning");
      return;
    }
    show(box.dataset.saved, "warning");
    flush();
  });

  window.addEventListener("online", function () { flush(); });
  setInterval(function () { if (navigator.onLine) flush(); }, 30000);
  if (navigator.onLine) flush(); else pendingNote();

  if ("serviceWorker" in navigator && script && script.dataset.sw) {
    navigator.serviceWorker.register(script.dataset.sw, { scope: script.dataset.scope }).catch(function () {});
  }
})();
