/* 农安巡查 — the outbox: records made on the phone (with their photos) wait in IndexedDB until sent.
 *
 * A record is {key (the client key, a UUID made here), user, kind, state, payload, photos: [{name, type,
 * blob}], summary, messages, errors, note, created_at, sent_at}. state is "waiting" (待发送), "attention"
 * (需处理: the server refused it and said why; kept until the inspector corrects it) or "sent" (已发送,
 * photos dropped, kept a while so the inspector sees the server's messages). The phone never deletes a
 * record that has not been stored by the server.
 */
(function () {
  "use strict";

  var DB_NAME = "field-outbox";
  var STORE = "records";
  var KEEP_SENT = 30;                  // sent records shown per user, newest first
  var KEEP_SENT_DAYS = 14;
  var body = document.body;
  var S = JSON.parse(document.getElementById("field-strings").textContent);
  var dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var store = request.result.createObjectStore(STORE, { keyPath: "key" });
          store.createIndex("user", "user");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function run(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function all() { return run("readonly", function (s) { return s.getAll(); }); }
  function get(key) { return run("readonly", function (s) { return s.get(key); }); }
  function put(record) {
    record.updated_at = new Date().toISOString();
    return run("readwrite", function (s) { return s.put(record); }).then(changed);
  }
  function remove(key) { return run("readwrite", function (s) { return s.delete(key); }); }

  function changed() { document.dispatchEvent(new CustomEvent("outbox-changed")); }

  function currentUser() { return body.dataset.user; }

  function mine(records) {
    var user = currentUser();
    return records.filter(function (r) { return String(r.user) === String(user); });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  /* Send one record; returns "sent", "attention" or "later" (network, login or server trouble: retry). */
  function sendOne(record) {
    var form = new FormData();
    form.append("payload", JSON.stringify(record.payload));
    (record.photos || []).forEach(function (photo) { form.append("photos", photo.blob, photo.name); });
    return fetch(body.dataset.sync, {
      method: "POST", body: form, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        return answer(record, response.status, data);
      });
    }, function () {
      record.note = S.net_error;
      return put(record).then(function () { return "later"; });
    });
  }

  function answer(record, status, data) {
    record.attempts = (record.attempts || 0) + 1;
    if (data && (status === 200 || status === 201)) {
      record.state = "sent";
      record.sent_at = new Date().toISOString();
      record.duplicate = data.status === "duplicate";
      record.messages = data.messages || [];
      record.errors = {};
      record.note = "";
      record.photo_count = (record.photos || []).length;
      record.photos = [];             // stored on the server: free the phone's space
      return put(record).then(function () { return "sent"; });
    }
    if (data && data.errors && data.errors.user) {   // made under another login on this phone: wait for it
      record.note = (data.messages || [])[0] || S.login_expired;
      return put(record).then(function () { return "later"; });
    }
    if (data && (status === 400 || status === 403 || status === 409)) {
      record.state = "attention";
      record.messages = data.messages || [];
      record.errors = data.errors || {};
      record.note = "";
      return put(record).then(function () { return "attention"; });
    }
    record.note = status === 401 || status === 403 ? S.login_expired : S.server_error;
    return put(record).then(function () { return "later"; });
  }

  var sending = null;

  /* Send every waiting record of the logged-in user, oldest first; stop at the first network failure. */
  function sendAll() {
    if (sending) { return sending; }
    sending = all().then(function (records) {
      var queue = mine(records).filter(function (r) { return r.state === "waiting"; });
      queue.sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
      var step = function (i) {
        if (i >= queue.length) { return "done"; }
        return sendOne(queue[i]).then(function (result) { return result === "later" ? result : step(i + 1); });
      };
      return step(0);
    }).then(function (result) {
      return prune().then(function () { return result; });
    }).finally(function () { sending = null; changed(); });
    return sending;
  }

  /* Sent records are already on the server: keep the newest few for the inspector to read, then drop. */
  function prune() {
    return all().then(function (records) {
      var cutoff = new Date(Date.now() - KEEP_SENT_DAYS * 864e5).toISOString();
      var sent = mine(records).filter(function (r) { return r.state === "sent"; });
      sent.sort(function (a, b) { return a.sent_at < b.sent_at ? 1 : -1; });
      var drop = sent.filter(function (r, i) { return i >= KEEP_SENT || r.sent_at < cutoff; });
      return Promise.all(drop.map(function (r) { return remove(r.key); }));
    });
  }

  /* Another user on this phone (or a logout): their sent history goes; unsent records stay, unseen, until
     their owner logs in again — nothing is lost and nobody else sees them. */
  function forgetOthers(keepUser) {
    return all().then(function (records) {
      var drop = records.filter(function (r) {
        return r.state === "sent" && (keepUser === null || String(r.user) !== String(keepUser));
      });
      return Promise.all(drop.map(function (r) { return remove(r.key); }));
    }).then(changed);
  }

  function countWaiting() {
    return all().then(function (records) {
      return mine(records).filter(function (r) { return r.state === "waiting"; }).length;
    });
  }

  function countOthers() {
    return all().then(function (records) {
      var user = currentUser();
      return records.filter(function (r) { return String(r.user) !== String(user) && r.state !== "sent"; }).length;
    });
  }

  window.FieldOutbox = {
    strings: S, all: function () { return all().then(mine); }, get: get, put: put, newKey: newKey,
    sendAll: sendAll, forgetOthers: forgetOthers, countOthers: countOthers, countWaiting: countWaiting,
    user: currentUser
  };
})();
