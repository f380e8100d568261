// nvrmenu web door: a drop-down that takes effect when a choice is made.
// Optional: without it the form's own button sends the choice. It sends
// the form of every select marked data-submit-on-change when the select
// changes, and hides that form's button (marked data-without-script),
// which would only repeat the choice. Same-origin, no inline script.
"use strict";
(function () {
  var selects = document.querySelectorAll("select[data-submit-on-change]");
  Array.prototype.forEach.call(selects, function (select) {
    var form = select.form;
    if (!form) { return; }
    Array.prototype.forEach.call(form.querySelectorAll("[data-without-script]"), function (el) {
      el.hidden = true;
    });
    select.addEventListener("change", function () { form.submit(); });
  });
})();
