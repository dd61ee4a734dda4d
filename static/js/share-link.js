// A "Copy link" button next to the results page's share field. Without this script the field is
// still there, read-only and selectable, so the link can be copied by hand.
"use strict";

(function () {
  var COPIED = "Link copied.";
  var SELECTED = "Link selected: press Ctrl+C (or ⌘C) to copy it.";

  function enhance(field) {
    var input = field.querySelector("input");
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "button button--secondary share-field__copy";
    button.textContent = "Copy link";
    status.className = "share-field__status";
    status.setAttribute("role", "status");
    field.append(" ", button, " ", status);

    button.addEventListener("click", function () {
      input.select();
      if (!navigator.clipboard) {
        status.textContent = SELECTED;
        return;
      }
      navigator.clipboard.writeText(input.value).then(
        function () {
          status.textContent = COPIED;
        },
        function () {
          status.textContent = SELECTED;
        }
      );
    });
  }

  document.querySelectorAll("[data-share-field]").forEach(enhance);
})();
