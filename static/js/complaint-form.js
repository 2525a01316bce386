/* Progressive enhancement only: the form works without any of this. */
(function () {
  var input = document.getElementById("id_producer"), list = document.getElementById("producer-options"), timer;
  if (input && list && window.fetch) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { return; }
      timer = setTimeout(function () {
        fetch(list.getAttribute("data-options-url") + "?q=" + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (data) {
          list.textContent = "";
          (data.results || []).forEach(function (p) {
            var o = document.createElement("option"); o.value = p.value; o.label = p.place; list.appendChild(o);
          });
        }).catch(function () {});
      }, 250);
    });
  }
  var town = document.getElementById("id_place_township"), village = document.getElementById("id_place_village");
  if (town && village) {
    var filter = function () {
      var name = town.value ? town.options[town.selectedIndex].text : "";
      Array.prototype.forEach.call(village.querySelectorAll("optgroup"), function (g) {
        var show = !name || g.label === name; g.hidden = !show; g.disabled = !show;
      });
      var chosen = village.options[village.selectedIndex];
      if (chosen && chosen.parentNode.disabled) { village.value = ""; }
    };
    town.addEventListener("change", filter); filter();
  }
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
