// nvrmenu web door: the security answers, hidden as they are typed, shown
// on request. Optional: without it the answers stay hidden and the box
// that would show them stays out of sight. It shows every element marked
// data-with-script, and the box #show-answers turns every input marked
// data-answer from hidden to shown and back. Same-origin, no inline script.
"use strict";
(function () {
  var box = document.getElementById("show-answers");
  if (!box) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("[data-with-script]"), function (el) {
    el.hidden = false;
  });
  box.addEventListener("change", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-answer]"), function (input) {
      input.type = box.checked ? "text" : "password";
    });
  });
})();
