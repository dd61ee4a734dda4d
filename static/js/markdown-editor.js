// Admin Markdown editor, on top of django-markdownx's script:
// live preview in inline rows added with "Add another", and upload refusals shown in words.
"use strict";

(function () {
  var MARKDOWNX_SCRIPT = 'script[src*="markdownx/js/markdownx"]';
  var FAILED_UPLOAD_PLACEHOLDER = "Invalid response";

  // markdownx starts its editors once, when the page loads; a row added later is a copy of the
  // already-started blank row. Unmark the copy and run markdownx again, which starts the unmarked ones.
  function startNewEditors(row) {
    var editors = row.querySelectorAll(".markdownx-editor[data-markdownx-init]");
    var markdownx = document.querySelector(MARKDOWNX_SCRIPT);
    if (editors.length === 0 || !markdownx) {
      return;
    }
    editors.forEach(function (editor) {
      editor.removeAttribute("data-markdownx-init");
    });
    var again = document.createElement("script");
    again.src = markdownx.src;
    document.head.appendChild(again);
  }

  function showUploadError(container, message) {
    var note = container.querySelector(".markdown-upload-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "errornote markdown-upload-error";
      note.setAttribute("role", "alert");
      container.insertBefore(note, container.firstChild);
    }
    note.textContent = message;
  }

  function removePlaceholderAt(editor, start) {
    var end = start + FAILED_UPLOAD_PLACEHOLDER.length;
    if (editor.value.slice(start, end) === FAILED_UPLOAD_PLACEHOLDER) {
      editor.value = editor.value.slice(0, start) + editor.value.slice(end);
      editor.selectionStart = editor.selectionEnd = start;
      editor.dispatchEvent(new Event("input"));
    }
  }

  document.addEventListener("formset:added", function (event) {
    startNewEditors(event.target);
  });

  // markdownx fires this on the editor's container (it does not bubble, so listen while capturing),
  // then types a placeholder into the text; show the server's reason and take the placeholder out.
  document.addEventListener("markdownx.fileUploadError", function (event) {
    var container = event.target;
    var editor = container.querySelector(".markdownx-editor");
    var response = event.detail && event.detail[0];
    showUploadError(container, (response && response.error) || "The image could not be uploaded.");
    if (editor) {
      var start = editor.selectionStart;
      window.setTimeout(function () {
        removePlaceholderAt(editor, start);
      }, 0);
    }
  }, true);

  document.addEventListener("markdownx.fileUploadEnd", function (event) {
    var note = event.target.querySelector(".markdown-upload-error");
    if (note) {
      note.remove();
    }
  }, true);
})();
