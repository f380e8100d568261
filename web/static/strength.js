// nvrmenu web door: the live password strength meter. Optional: without
// it the server rates the password when the form is sent. Same-origin
// only; the password goes in a POST body, never in a URL. While a rating
// is on its way the meter is aria-busy: a screen reader waits for the
// last one, and so do the browser tests before they click.
"use strict";
(function () {
  var out = document.querySelector("[data-strength-for] output");
  if (!out) { return; }
  var box = out.parentNode;
  var input = document.getElementById(box.getAttribute("data-strength-for"));
  var seq = 0;
  var timer = null;
  function settled(mine) {
    if (mine === seq) { box.removeAttribute("aria-busy"); }
  }
  function rate() {
    var mine = seq;
    fetch("/api/v1/password/strength", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept-Language": document.documentElement.lang },
      body: JSON.stringify({ password: input.value })
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (j) {
      // An answer for a value typed over since is dropped.
      if (j && mine === seq) {
        out.textContent = j.words + (j.refusal && input.value ? " — " + j.refusal : "");
        box.className = "hint" + (input.value ? " strength-" + j.strength : "");
      }
      settled(mine);
    }).catch(function () { settled(mine); });
  }
  input.addEventListener("input", function () {
    ++seq;
    box.setAttribute("aria-busy", "true");
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(rate, 150);
  });
})();
