// The zone table of the reviewers' portal: sorting, filtering and searching, nothing else.
// Reads and writes only attributes and textContent (never innerHTML), fetches nothing.
// State lives in the address's hash, e.g. #sort=score&dir=desc&province=440000&status=off_track,
// so a view can be bookmarked or shared. Without this script the table lists every zone by rank.
(function () {
  "use strict";
  var table = document.getElementById("zones");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var count = document.getElementById("count");
  var FILTERS = ["province", "type", "grade", "status"];
  var DESC_FIRST = { score: true, reduction: true, change: true };
  var state = { sort: "", dir: "" };
  // each zone's findings (portal/assets/search.js, a file of its own: a finding's change rewrites
  // it and the zone's page, not the lists); name and province are in the row's data-search
  var FINDINGS = window.NZC_PORTAL_SEARCH || {};

  function keyOf(row, col) {
    var v = row.cells[col].getAttribute("data-v");
    return v === null ? "" : v;
  }

  function compare(col, numeric, dir) {
    return function (a, b) {
      var x = keyOf(a, col), y = keyOf(b, col);
      if (x === "" || y === "") { return x === y ? 0 : (x === "" ? 1 : -1); }  // blanks last, either way
      var d = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, document.documentElement.lang);
      return dir === "desc" ? -d : d;
    };
  }

  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    FILTERS.forEach(function (name) {
      var select = form.elements[name];
      var value = params.get(name) || "";
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
      select.value = known ? value : "";
    });
    form.elements.watch.checked = params.get("watch") === "1";
    form.elements.q.value = params.get("q") || "";
    state.sort = params.get("sort") || "";
    state.dir = params.get("dir") || "";
  }

  function writeHash() {
    var params = new URLSearchParams();
    if (state.sort) { params.set("sort", state.sort); params.set("dir", state.dir); }
    FILTERS.forEach(function (name) { if (form.elements[name].value) { params.set(name, form.elements[name].value); } });
    if (form.elements.watch.checked) { params.set("watch", "1"); }
    if (form.elements.q.value.trim()) { params.set("q", form.elements.q.value.trim()); }
    var hash = params.toString();
    try {
      window.history.replaceState(null, "", hash ? "#" + hash : window.location.pathname + window.location.search);
    } catch (e) { /* some browsers refuse on file://; the view is still right */ }
  }

  function apply() {
    var order = rows.slice();
    var col = -1;
    heads.forEach(function (th, i) {
      if (th.getAttribute("data-key") === state.sort) { col = i; }
      th.removeAttribute("aria-sort");
    });
    if (col >= 0) {
      if (state.dir !== "asc" && state.dir !== "desc") { state.dir = DESC_FIRST[state.sort] ? "desc" : "asc"; }
      order.sort(compare(col, heads[col].getAttribute("data-num") === "1", state.dir));
      heads[col].setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
    } else {
      state.sort = ""; state.dir = "";
    }
    var shown = 0;
    var words = form.elements.q.value.toLowerCase().split(/\s+/).filter(function (x) { return x; });
    order.forEach(function (row) {
      var ok = FILTERS.every(function (name) {
        var want = form.elements[name].value;
        if (!want) { return true; }
        var have = row.getAttribute("data-" + name) || "";
        return name === "status" ? have.split(" ").indexOf(want) >= 0 : have === want;
      });
      if (form.elements.watch.checked && row.getAttribute("data-watch") !== "1") { ok = false; }
      if (ok && words.length) {  // every word typed, in the zone's name, province or findings
        var text = ((row.getAttribute("data-search") || "") + " " +
                    (FINDINGS[row.getAttribute("data-id")] || "")).toLowerCase();
        ok = words.every(function (word) { return text.indexOf(word) >= 0; });
      }
      row.hidden = !ok;
      if (ok) { shown += 1; }
      body.appendChild(row);
    });
    if (count) {
      count.textContent = count.getAttribute("data-template")
        .replace("{shown}", String(shown)).replace("{total}", String(rows.length));
    }
  }

  heads.forEach(function (th) {
    var key = th.getAttribute("data-key");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    button.addEventListener("click", function () {
      if (state.sort === key) {
        state.dir = state.dir === "asc" ? "desc" : "asc";
      } else {
        state.sort = key;
        state.dir = DESC_FIRST[key] ? "desc" : "asc";
      }
      apply(); writeHash();
    });
  });
  form.addEventListener("change", function () { apply(); writeHash(); });
  form.elements.q.addEventListener("input", function () { apply(); writeHash(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { state.sort = ""; state.dir = ""; apply(); writeHash(); }, 0);
  });
  window.addEventListener("hashchange", function () { readHash(); apply(); });
  form.hidden = false;
  readHash();
  apply();
}());
