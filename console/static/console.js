// caseflow console: countdowns, times in the user's zone, a case page that
// shows a step taken elsewhere, planned times typed in the user's zone and
// the service record's signature pad. Everything but the signature works
// without it.
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
          // Reload only when no form is being filled in (changed from what
          // the page gave, or shown again with its problems); otherwise say so.
          var typing = c.querySelector("form .error") !== null ||
            Array.prototype.some.call(c.querySelectorAll("form textarea, form input[type=text], form input[type=datetime-local]"),
              function (el) { return el.value !== el.defaultValue; });
          if (typing) { c.querySelector("[data-updated]").hidden = false; } else { location.reload(); }
        }).catch(function () {});
    }, 3000);
  }

  // A datetime-local input is typed in the browser's zone: beside it goes
  // that zone's offset (minutes east of UTC) at the typed time, so the
  // server reads it as meant (console/forms.go, rfc3339Of).
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[type=datetime-local][data-offset]").forEach(function (input) {
        var hidden = form.querySelector("input[name='" + input.dataset.offset + "']");
        var d = new Date(input.value);
        if (hidden) { hidden.value = isNaN(d) ? "" : String(-d.getTimezoneOffset()); }
      });
    });
  });

  // The signature pad: drawn with a finger, pen or mouse; its PNG
  // (a data: URL) goes in the hidden field the form posts.
  document.querySelectorAll("[data-signature-pad]").forEach(function (pad) {
    var canvas = pad.querySelector("canvas");
    var target = document.getElementById(pad.dataset.target);
    var form = pad.closest("form");
    var ctx = canvas.getContext("2d");
    var drawn = false, drawing = false, last = null, width = 0;
    pad.hidden = false;
    function pen() {
      ctx.lineWidth = 2.5; ctx.lineCap = "round"; ctx.lineJoin = "round";
      ctx.strokeStyle = "#000"; ctx.fillStyle = "#000";
    }
    function blank() {
      // White, not transparent: the PNG prints as signed on paper.
      ctx.save(); ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.restore(); pen();
    }
    function save() { target.value = drawn ? canvas.toDataURL("image/png") : ""; }
    function restore(src) {
      var img = new Image();
      img.onload = function () {
        ctx.drawImage(img, 0, 0, canvas.clientWidth, canvas.clientHeight);
        drawn = true; save();
      };
      img.src = src;
    }
    function size() {
      if (canvas.clientWidth === width) { return; }
      width = canvas.clientWidth;
      var keep = drawn ? canvas.toDataURL("image/png") : "";
      // At most twice the CSS pixels: sharp on a phone, and the PNG stays
      // far below the API's 256 KB.
      var ratio = Math.min(window.devicePixelRatio || 1, 2);
      canvas.width = Math.round(canvas.clientWidth * ratio);
      canvas.height = Math.round(canvas.clientHeight * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      blank();
      if (keep) { restore(keep); }
    }
    function point(e) {
      var r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    }
    function start(e) {
      drawing = true; drawn = true; last = point(e);
      ctx.beginPath(); ctx.arc(last.x, last.y, ctx.lineWidth / 2, 0, 2 * Math.PI); ctx.fill();
    }
    function move(e) {
      if (!drawing) { return; }
      var p = point(e);
      ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
      last = p;
    }
    function end() { if (drawing) { drawing = false; save(); } }
    if (window.PointerEvent) {
      canvas.addEventListener("pointerdown", function (e) {
        e.preventDefault();
        if (canvas.setPointerCapture) { canvas.setPointerCapture(e.pointerId); }
        start(e);
      });
      canvas.addEventListener("pointermove", function (e) { if (drawing) { e.preventDefault(); move(e); } });
      canvas.addEventListener("pointerup", end);
      canvas.addEventListener("pointercancel", end);
    } else {
      canvas.addEventListener("mousedown", function (e) { e.preventDefault(); start(e); });
      window.addEventListener("mousemove", move);
      window.addEventListener("mouseup", end);
      canvas.addEventListener("touchstart", function (e) { e.preventDefault(); start(e.touches[0]); }, { passive: false });
      canvas.addEventListener("touchmove", function (e) { e.preventDefault(); move(e.touches[0]); }, { passive: false });
      canvas.addEventListener("touchend", end);
      canvas.addEventListener("touchcancel", end);
    }
    pad.querySelector("[data-signature-clear]").addEventListener("click", function () {
      drawn = false; blank(); save();
    });
    if (form) { form.addEventListener("submit", function () { end(); save(); }); }
    var posted = target.value; // a form shown again keeps its signature
    size();
    if (posted) { restore(posted); }
    window.addEventListener("resize", size);
  });
})();
