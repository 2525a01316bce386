/* 农安巡查 — the inspection form (/field/inspect/): filled from the cached plan (?visit=), or from a record
 * kept on the phone (?edit=), and saved into the outbox, never posted directly, so it works without signal.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-inspect-form]");
  if (!form) { return; }
  var outbox = window.FieldOutbox;
  var app = window.FieldApp;
  var S = outbox.strings;
  var params = new URLSearchParams(location.search);
  var kind = form.dataset.kind;           // "inspection" or "sample"
  var select = form.querySelector("#producer");
  var search = form.querySelector("#producer-search");
  var maxPhotos = parseInt(form.dataset.maxPhotos, 10);
  var photos = [];          // [{name, type, blob}]
  var plan = null;
  var editing = null;       // the outbox record being corrected
  var visit = null;         // the planned visit from the plan

  var allOptions = Array.prototype.map.call(select.querySelectorAll("option[value]"), function (option) {
    if (!option.value) { return null; }
    return { id: option.value, name: option.textContent, group: option.parentNode.label || "" };
  }).filter(Boolean);

  function producerById(id) {
    var rows = (plan && plan.producers) || [];
    for (var i = 0; i < rows.length; i++) { if (String(rows[i].id) === String(id)) { return rows[i]; } }
    return null;
  }

  /* ---- the producer: from the visit, or chosen (the search narrows the list) ---------------------- */
  function fillOptions(query) {
    var chosen = select.value;
    var q = (query || "").trim().toLowerCase();
    var rows = allOptions.filter(function (row) {
      if (!q || row.id === chosen) { return true; }
      var p = producerById(row.id);
      var text = [row.name, row.group, p ? p.code : "", p ? p.address : ""].join(" ").toLowerCase();
      return text.indexOf(q) !== -1;
    });
    select.textContent = "";
    select.appendChild(new Option(select.dataset.placeholder, ""));
    var groups = {};
    rows.forEach(function (row) {
      if (!groups[row.group]) {
        groups[row.group] = document.createElement("optgroup");
        groups[row.group].label = row.group;
        select.appendChild(groups[row.group]);
      }
      groups[row.group].appendChild(new Option(row.name, row.id, false, row.id === chosen));
    });
    if (q && rows.length === 1) { select.value = rows[0].id; }
  }

  function showVisit(found) {
    visit = found;
    var producer = producerById(found.producer);
    form.elements.visit.value = found.id;
    select.value = String(found.producer);
    form.querySelector("[data-producer-field]").hidden = true;
    var card = form.querySelector("[data-visit-card]");
    card.hidden = false;
    card.querySelector("[data-visit-name]").textContent = producer ? producer.name : "";
    card.querySelector("[data-visit-place]").textContent = producer
      ? [producer.township + producer.village, producer.address, found.reason_label].filter(Boolean).join(" · ") : "";
  }

  /* ---- photos ---------------------------------------------------------------------------------------- */
  function renderPhotos() {
    var list = form.querySelector("[data-photo-list]");
    list.textContent = "";
    photos.forEach(function (photo, index) {
      var li = app.el("li", "photo");
      var img = document.createElement("img");
      img.alt = photo.name;
      img.src = URL.createObjectURL(photo.blob);
      img.onload = function () { URL.revokeObjectURL(img.src); };
      li.appendChild(img);
      var remove = app.el("button", "button button-secondary", S.remove);
      remove.type = "button";
      remove.addEventListener("click", function () { photos.splice(index, 1); renderPhotos(); });
      li.appendChild(remove);
      list.appendChild(li);
    });
  }

  /* A phone's photo is often 4–8 MB; on a rural signal a record with several would take long to send. The
     server keeps at most 2048 px anyway, so a large photo is scaled down here first (upright, as JPEG);
     whatever cannot be read this way is kept as it is and judged by the server. */
  var LONG_EDGE = 2048;
  var SHRINK_ABOVE = 1536 * 1024;
  var shrinking = Promise.resolve();

  function shrink(file) {
    if (file.size <= SHRINK_ABOVE || !window.createImageBitmap || !/^image\/(jpeg|png|webp)$/.test(file.type)) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob && blob.size < file.size ? blob : file); }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }

  function addPhotos(input) {
    var error = "";
    var jobs = [];
    Array.prototype.forEach.call(input.files, function (file) {
      if (file.type && file.type.indexOf("image/") !== 0) {
        error = app.fmt(S.not_image, { name: file.name });
      } else if (photos.length >= maxPhotos) {
        error = S.too_many_photos;
      } else {
        var photo = { name: file.name || "photo.jpg", type: file.type, blob: file };
        photos.push(photo);
        jobs.push(shrink(file).then(function (blob) {
          if (blob === file) { return; }
          photo.blob = blob;
          photo.type = "image/jpeg";
          photo.name = photo.name.replace(/\.[A-Za-z0-9]+$/, "") + ".jpg";
        }));
      }
    });
    input.value = "";
    showError("photos", error);
    renderPhotos();
    shrinking = Promise.all([shrinking].concat(jobs));
  }

  /* A failed item needs a note: its box opens wide for one. */
  function markFail(radio) {
    radio.closest("[data-item]").classList.toggle("is-fail", radio.value === "fail" && radio.checked);
  }

  /* ---- checking and saving --------------------------------------------------------------------------- */
  function showError(name, message) {
    var p = form.querySelector('[data-error-for="' + name + '"]');
    if (p) { p.textContent = message || ""; }
    var box = name.indexOf("item_") === 0 ? form.querySelector('[data-item="' + name.slice(5) + '"]')
      : form.querySelector("#" + name);
    if (box) { box.classList.toggle("has-error", !!message); }
  }

  function collect() {
    var errors = {};
    var results = {};
    if (!select.value) { errors.producer = S.choose_producer; }
    if (kind === "sample") {
      if (!form.elements.product.value.trim()) { errors.product = S.product_required; }
      var taken = form.elements.taken_at.value;
      if (!taken) { errors.taken_at = S.taken_required; } else if (new Date(taken) > new Date(Date.now() + 5 * 60000)) {
        errors.taken_at = S.taken_future;
      }
      return { errors: errors, results: {} };
    }
    var day = form.elements.inspected_on.value;
    if (!day) { errors.inspected_on = S.date_required; } else if (day > form.dataset.today && day > localToday()) {
      errors.inspected_on = S.date_future;
    }
    form.querySelectorAll("[data-item]").forEach(function (box) {
      var n = box.dataset.item;
      var chosen = box.querySelector("input:checked");
      var note = form.elements["note_" + n].value.trim();
      if (!chosen) { errors["item_" + n] = S.choose_result; } else if (chosen.value === "fail" && !note) {
        errors["item_" + n] = S.fail_note;
      }
      results[n] = { result: chosen ? chosen.value : "", note: note };
    });
    return { errors: errors, results: results };
  }

  function localToday() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function showErrors(errors, fromServer) {
    ["producer", "inspected_on", "photos", "inspector_names", "product", "taken_at"].concat(
      Array.prototype.map.call(form.querySelectorAll("[data-item]"), function (b) { return "item_" + b.dataset.item; })
    ).forEach(function (name) {
      var message = errors[name];
      showError(name, Array.isArray(message) ? message.join(" ") : message);
    });
    var summary = form.querySelector("[data-form-errors]");
    var count = Object.keys(errors).length;
    summary.hidden = count === 0;
    summary.textContent = fromServer ? (editing.messages || []).join(" ") : (count ? S.errors_above : "");
    var first = form.querySelector(".has-error");
    if (first && !fromServer) { first.scrollIntoView({ block: "center" }); }
  }

  function save(event) {
    event.preventDefault();
    var found = collect();
    showErrors(found.errors, false);
    if (Object.keys(found.errors).length) { return; }
    var producer = producerById(select.value);
    var producerName = producer ? producer.name : select.options[select.selectedIndex].text;
    var failed = 0;
    Object.keys(found.results).forEach(function (n) { if (found.results[n].result === "fail") { failed += 1; } });
    var key = editing ? editing.key : outbox.newKey();
    var record = editing || { key: key, created_at: new Date().toISOString() };
    record.user = outbox.user();
    record.kind = kind;
    record.state = "waiting";
    record.messages = [];
    record.errors = {};
    record.note = "";
    record.photos = photos;
    if (kind === "sample") {
      record.summary = { producer_name: producerName, product: form.elements.product.value.trim(),
                         taken_at: form.elements.taken_at.value.replace("T", " ") };
      record.payload = {
        client_key: key, kind: "sample", user: outbox.user(), producer: select.value,
        product: form.elements.product.value, quantity: form.elements.quantity.value,
        place: form.elements.place.value, taken_at: withOffset(form.elements.taken_at.value)
      };
    } else {
      record.summary = { producer_name: producerName, inspected_on: form.elements.inspected_on.value, failed: failed };
      record.payload = inspectionPayload(key, producer, found.results);
    }
    shrinking.then(function () { return outbox.put(record); }).then(function () {
      sessionStorage.setItem("field-flash", S.saved_local);
      location.href = document.body.dataset.home;
    }, function () {
      showErrors({ photos: S.storage_full }, false);
    });
  }

  /* "2026-05-12T09:30" typed on the phone → with the phone's UTC offset, so the server knows the moment. */
  function withOffset(local) {
    var minutes = -new Date(local).getTimezoneOffset();
    var sign = minutes >= 0 ? "+" : "-";
    var abs = Math.abs(minutes);
    return local + ":00" + sign + String(Math.floor(abs / 60)).padStart(2, "0") + ":" + String(abs % 60).padStart(2, "0");
  }

  function localNow() {
    var d = new Date();
    return localToday() + "T" + String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  function inspectionPayload(key, producer, results) {
    return {
      client_key: key, kind: "inspection", user: outbox.user(), producer: select.value,
      visit: form.elements.visit.value || null,
      // What the phone knew when the record was first made: a change made since is the server's to tell.
      expected_assignee: editing ? editing.payload.expected_assignee : (visit ? visit.assignee : null),
      visit_version: editing ? editing.payload.visit_version : (visit ? visit.version : null),
      producer_seen_at: editing && String(editing.payload.producer) === select.value
        ? editing.payload.producer_seen_at : (producer ? producer.updated_at : null),
      inspected_on: form.elements.inspected_on.value, results: results,
      representative: form.elements.representative.value, inspector_names: form.elements.inspector_names.value,
      other_findings: form.elements.other_findings.value
    };
  }

  function fill(record) {
    editing = record;
    var p = record.payload;
    document.querySelector("[data-edit-notice]").hidden = false;
    form.elements.visit.value = p.visit || "";
    if (!select.querySelector('option[value="' + p.producer + '"]')) {   // no longer in the user's grids
      select.appendChild(new Option(record.summary.producer_name, String(p.producer)));
    }
    select.value = String(p.producer);
    if (kind === "sample") {
      form.elements.product.value = p.product || "";
      form.elements.quantity.value = p.quantity || "";
      form.elements.place.value = p.place || "";
      form.elements.taken_at.value = (p.taken_at || "").slice(0, 16);
      if (record.state === "attention") { showErrors(record.errors || {}, true); }
      return;
    }
    form.elements.inspected_on.value = p.inspected_on;
    Object.keys(p.results || {}).forEach(function (n) {
      var radio = form.querySelector('input[name="item_' + n + '"][value="' + p.results[n].result + '"]');
      if (radio) { radio.checked = true; markFail(radio); }
      form.elements["note_" + n].value = p.results[n].note || "";
    });
    ["representative", "inspector_names", "other_findings"].forEach(function (name) {
      form.elements[name].value = p[name] || "";
    });
    photos = (record.photos || []).slice();
    renderPhotos();
    if (record.state === "attention") { showErrors(record.errors || {}, true); }
  }

  select.dataset.placeholder = select.options[0].text;
  search.addEventListener("input", function () { fillOptions(search.value); });
  form.querySelectorAll(".file-input").forEach(function (input) {
    input.addEventListener("change", function () { addPhotos(input); });
  });
  var restPass = form.querySelector("[data-rest-pass]");
  if (restPass) {
    restPass.addEventListener("click", function () {
      form.querySelectorAll("[data-item]").forEach(function (box) {
        if (!box.querySelector("input:checked")) { box.querySelector('input[value="pass"]').checked = true; }
        showError("item_" + box.dataset.item, "");
      });
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") {
      showError(event.target.name, "");
      markFail(event.target);
      if (event.target.value === "fail") { form.elements["note_" + event.target.name.slice(5)].focus(); }
    }
  });
  form.addEventListener("submit", save);
  // The page may be a copy cached days ago: today is the phone's today.
  var today = localToday() > form.dataset.today ? localToday() : form.dataset.today;
  if (kind === "sample") {
    form.elements.taken_at.value = localNow();
  } else {
    form.elements.inspected_on.max = today;
    form.elements.inspected_on.value = today;
  }

  app.plan.then(function (loaded) {
    plan = loaded && !loaded.expired ? loaded : null;
    var wanted = params.get("visit");
    if (wanted && plan) {
      plan.visits.forEach(function (v) { if (String(v.id) === wanted) { showVisit(v); } });
    }
    var key = params.get("edit");
    if (!key) { return null; }
    return outbox.get(key).then(function (record) {
      if (!record || String(record.user) !== String(outbox.user()) || record.state === "sent") {
        showErrors({ producer: S.record_missing }, false);
        return;
      }
      fill(record);
      if (record.payload.visit && plan) {
        plan.visits.forEach(function (v) { if (String(v.id) === String(record.payload.visit)) { showVisit(v); } });
      }
    });
  });
})();
