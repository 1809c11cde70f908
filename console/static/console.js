// caseflow console: countdowns, times in the user's zone, and a case page
// that shows a step taken elsewhere. Everything works without it.
(function () {
  "use strict";
  var body = document.body;
  var lang = body.dataset.lang || "en";
  var fmt = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
  document.querySelectorAll("time[datetime]").forEach(function (t) {
    var d = new Date(t.getAttribute("datetime"));
    if (!isNaN(d)) { t.textContent = fmt.format(d); }
  });
  function left(ms) {
    var neg = ms < 0; ms = Math.abs(ms);
    var h = Math.floor(ms / 3600000), m = Math.floor(ms % 3600000 / 60000), s = Math.floor(ms % 60000 / 1000);
    var txt = (h ? h + "h " : "") + m + "m " + s + "s";
    return neg ? txt + " " + body.dataset.overdue : txt + " " + body.dataset.left;
  }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var at = el.getAttribute("data-countdown") || el.getAttribute("datetime");
      var d = new Date(at);
      if (!isNaN(d) && el.tagName !== "TIME") { el.textContent = left(d - Date.now()); }
    });
  }
  tick(); setInterval(tick, 1000);
  var c = document.getElementById("case");
  if (c) {
    var version = c.dataset.version;
    setInterval(function () {
      fetch("/console/cases/" + encodeURIComponent(c.dataset.case) + "/version", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (v) {
          if (!v || String(v.version) === version) { return; }
          // Reload only when no form is being filled in; otherwise say so.
          var typing = Array.prototype.some.call(document.querySelectorAll("#case form textarea, #case form input[type=text]"),
            function (el) { return el.value !== ""; });
          if (typing) { c.querySelector("[data-updated]").hidden = false; } else { location.reload(); }
        }).catch(function () {});
    }, 3000);
  }
})();
