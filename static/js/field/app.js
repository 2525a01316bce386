/* 农安巡查 — every page: the service worker, the network status, who is logged in on this phone, the
 * outbox list on /field/ and when it is sent (on load, when the network returns, on 立即发送).
 */
(function () {
  "use strict";

  var body = document.body;
  var outbox = window.FieldOutbox;
  var S = outbox.strings;
  var USER_KEY = "field-user";
  var DATA_CACHE_PREFIX = "field-data";

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* ---- the user's data cached on this phone ---------------------------------------------------------- */
  function forgetCachedData() {
    if (!window.caches) { return Promise.resolve(); }
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf(DATA_CACHE_PREFIX) === 0; })
        .map(function (n) { return caches.delete(n); }));
    });
  }

  /* The plan as the service worker gives it: fresh when online, the cached copy otherwise. */
  function loadPlan() {
    return fetch(body.dataset.plan, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 401) { return { expired: true }; }
        if (!response.ok) { return null; }
        var fresh = response.headers.get("X-Field-Cache") !== "hit";
        return response.json().then(function (plan) { plan.fresh = fresh; return plan; });
      }).catch(function () { return null; });
  }

  /* A fresh plan names who is logged in. Another user than last time: drop what the phone kept for the
     previous one (cached pages and plan, sent history), then cache this user's pages. */
  function checkUser(plan) {
    if (!plan || !plan.fresh || plan.expired) { return Promise.resolve(plan); }
    var current = String(plan.user.id);
    var previous = localStorage.getItem(USER_KEY);
    localStorage.setItem(USER_KEY, current);
    if (previous === null || previous === current) { return Promise.resolve(plan); }
    return forgetCachedData().then(function () { return outbox.forgetOthers(current); }).then(function () {
      [body.dataset.home, body.dataset.inspect, body.dataset.sample, body.dataset.plan].forEach(function (url) {
        fetch(url, { credentials: "same-origin" }).catch(function () {});   // the service worker caches them
      });
      return plan;
    });
  }

  function setUpLogout() {
    var form = document.querySelector("[data-logout]");
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      localStorage.removeItem(USER_KEY);
      Promise.all([forgetCachedData(), outbox.forgetOthers(null)]).finally(function () { form.submit(); });
    });
  }

  /* ---- network status and sending ---------------------------------------------------------------- */
  var status = document.querySelector("[data-net-status]");

  function showNetwork() {
    if (!status) { return; }
    status.hidden = navigator.onLine;
    status.textContent = navigator.onLine ? "" : S.offline;
  }

  /* Send only with a fresh plan that names the user this page belongs to: a record is never sent under
     someone else's login, and an expired login is said plainly. */
  function send(planPromise) {
    if (!navigator.onLine) { return Promise.resolve(); }
    return (planPromise || loadPlan().then(checkUser)).then(function (plan) {
      if (plan && plan.expired) {
        status.hidden = false;
        status.textContent = S.login_expired;
        return null;
      }
      if (!plan || !plan.fresh) { return "later"; }
      if (String(plan.user.id) !== String(body.dataset.user)) { location.reload(); return null; }
      return outbox.sendAll();
    }).then(function (result) {
      if (result === "later") { retryLater(); } else { retryDelay = RETRY_FIRST; }
      return result;
    });
  }

  /* "online" often fires before the network really works, and a weak signal comes and goes: while records
     wait, try again after 3 s, 6 s, 12 s … up to every 2 minutes. */
  var RETRY_FIRST = 3000;
  var retryDelay = RETRY_FIRST;
  var retryTimer = null;

  function retryLater() {
    if (retryTimer) { return; }
    outbox.countWaiting().then(function (n) {
      if (!n || retryTimer) { return; }
      retryTimer = setTimeout(function () { retryTimer = null; send(); }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 120000);
    });
  }

  /* ---- the outbox on /field/ --------------------------------------------------------------------- */
  function recordItem(record) {
    var li = el("li", "record record-" + record.state);
    li.dataset.key = record.key;
    var summary = record.summary || {};
    li.appendChild(el("p", "record-name", summary.producer_name || ""));
    var meta = record.kind === "sample" ? [fmt(S.sample_of, { product: summary.product }), summary.taken_at]
      : [summary.inspected_on || "", summary.failed ? fmt(S.failed_n, { n: summary.failed }) : S.all_pass];
    var photos = record.state === "sent" ? record.photo_count : (record.photos || []).length;
    if (photos) { meta.push(fmt(S.photos_n, { n: photos })); }
    li.appendChild(el("p", "record-meta", meta.join(" · ")));
    var state = record.state === "sent" && record.duplicate ? S.sent + " · " + S.duplicate : S[record.state];
    li.appendChild(el("p", "record-state", state));
    var messages = (record.messages || []).slice();
    if (record.state === "waiting" && record.note) { messages.push(record.note); }
    if (messages.length) {
      var list = el("ul", "record-messages");
      messages.forEach(function (m) { list.appendChild(el("li", "", m)); });
      li.appendChild(list);
    }
    if (record.state !== "sent") {
      var actions = el("div", "record-actions");
      var edit = el("a", "button button-secondary", S.edit);
      edit.href = (record.kind === "sample" ? body.dataset.sample : body.dataset.inspect) + "?edit=" +
        encodeURIComponent(record.key);
      actions.appendChild(edit);
      if (record.state === "attention") {
        var retry = el("button", "button", S.retry);
        retry.type = "button";
        retry.addEventListener("click", function () {
          record.state = "waiting";
          outbox.put(record).then(function () { return send(); });
        });
        actions.appendChild(retry);
      }
      li.appendChild(actions);
    }
    return li;
  }

  function renderGroup(name, records) {
    var group = document.querySelector('[data-group="' + name + '"]');
    if (!group) { return; }
    var list = group.querySelector("[data-list]");
    list.textContent = "";
    records.forEach(function (r) { list.appendChild(recordItem(r)); });
    group.querySelector("[data-count]").textContent = "(" + records.length + ")";
    group.hidden = records.length === 0;
  }

  function markVisits(records) {
    records.forEach(function (record) {
      var visit = record.payload && record.payload.visit;
      var row = visit && document.querySelector('[data-visit="' + visit + '"]');
      if (!row) { return; }
      var state = row.querySelector("[data-visit-state]");
      if (state) {
        state.textContent = record.state === "sent" ? S.sent : S.recorded_waiting;
        state.className = "state " + (record.state === "sent" ? "state-done" : "state-waiting");
      }
      if (record.state === "sent") { row.classList.add("visit-done"); }
      var button = row.querySelector("[data-visit-button]");
      if (button) { button.hidden = true; }
    });
  }

  function renderOutbox() {
    if (!document.querySelector("[data-outbox]")) { return Promise.resolve(); }
    return Promise.all([outbox.all(), outbox.countOthers()]).then(function (found) {
      var records = found[0];
      records.sort(function (a, b) { return a.created_at < b.created_at ? 1 : -1; });
      var by = { waiting: [], attention: [], sent: [] };
      records.forEach(function (r) { (by[r.state] || by.waiting).push(r); });
      by.sent.sort(function (a, b) { return a.sent_at < b.sent_at ? 1 : -1; });
      renderGroup("waiting", by.waiting);
      renderGroup("attention", by.attention);
      renderGroup("sent", by.sent);
      var note = document.querySelector("[data-outbox-note]");
      note.hidden = by.waiting.length + by.attention.length > 0;
      var others = document.querySelector("[data-other-users]");
      others.hidden = found[1] === 0;
      others.textContent = found[1] ? fmt(S.other_users, { n: found[1] }) : "";
      markVisits(records);
    });
  }

  function flash() {
    var text = sessionStorage.getItem("field-flash");
    if (!text) { return; }
    sessionStorage.removeItem("field-flash");
    var main = document.getElementById("main");
    var note = el("p", "notice notice-ok", text);
    note.setAttribute("role", "status");
    main.insertBefore(note, main.firstChild);
  }

  function start() {
    showNetwork();
    flash();
    setUpLogout();
    window.addEventListener("online", function () { showNetwork(); send(); });
    window.addEventListener("offline", showNetwork);
    document.addEventListener("outbox-changed", renderOutbox);
    var sendNow = document.querySelector("[data-send-now]");
    if (sendNow) {
      sendNow.addEventListener("click", function () {
        sendNow.disabled = true;
        sendNow.textContent = S.sending;
        send().finally(function () {
          sendNow.disabled = false;
          sendNow.textContent = sendNow.dataset.label;
        });
      });
      sendNow.dataset.label = sendNow.textContent;
    }
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(body.dataset.sw, { scope: "/field/" }).catch(function () {});
    }
    var plan = loadPlan().then(checkUser);
    window.FieldApp = { plan: plan, fmt: fmt, el: el };
    renderOutbox().then(function () { return send(plan); });
  }

  start();
})();
