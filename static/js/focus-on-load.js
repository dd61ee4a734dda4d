// After each quiz page loads, focus starts on what the page is about (the question's heading, the verdict,
// or a problem with the answer) rather than on the site's header: screen readers read it first and the next
// Tab reaches the choices. An address with a fragment keeps the browser's own behaviour, so the skip link and
// the error summary's links still go where they point.
"use strict";

(function () {
  var target = document.querySelector("[data-focus-on-load]");
  if (target && !window.location.hash) {
    target.focus();
  }
})();
