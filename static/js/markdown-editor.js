// Admin Markdown editor, on top of django-markdownx's script:
// live preview in inline rows added with "Add another", upload refusals shown in words, and images inserted
// with a described alt text: from the "Insert image" file input, or dropped or pasted into the text.
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
    showImageInputs(event.target);
  });

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // An image chosen before the text was ever focused goes at its end, not at its start.
  document.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("markdownx-editor")) {
      event.target.setAttribute("data-caret-placed", "");
    }
  });

  function insertAtCaret(editor, text) {
    if (!editor.hasAttribute("data-caret-placed")) {
      editor.selectionStart = editor.selectionEnd = editor.value.length;
    }
    var start = editor.selectionStart;
    var end = editor.selectionEnd;
    var before = editor.value.slice(0, start);
    var after = editor.value.slice(end);
    // An image is a paragraph of its own.
    var opening = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
    var closing = after === "" || /^\n\n/.test(after) ? "" : (/^\n/.test(after) ? "\n" : "\n\n");
    text = opening + text + closing;
    editor.value = before + text + after;
    editor.selectionStart = editor.selectionEnd = start + text.length;
    editor.dispatchEvent(new Event("input"));
  }

  function element(tag, properties) {
    var made = document.createElement(tag);
    Object.keys(properties || {}).forEach(function (name) {
      made[name] = properties[name];
    });
    return made;
  }

  // Asks for the alt text (or an explicit "decorative") of ``file``, then uploads it and inserts its Markdown.
  function describeAndUpload(container, file) {
    var editor = container.querySelector(".markdownx-editor");
    var old = container.querySelector(".markdown-image-describe");
    if (old) {
      old.remove();
    }
    var id = editor.id + "-describe";
    var box = element("fieldset", {className: "module aligned markdown-image-describe"});
    box.appendChild(element("legend", {textContent: "Describe the image “" + file.name + "”"}));
    var altLabel = element("label", {htmlFor: id + "-alt", textContent: "Alt text: what the image shows, for readers who cannot see it"});
    var alt = element("input", {type: "text", id: id + "-alt", maxLength: 250, className: "vTextField"});
    var decorative = element("input", {type: "checkbox", id: id + "-decorative"});
    var decorativeLabel = element("label", {htmlFor: id + "-decorative", className: "vCheckboxLabel", textContent: "Decorative: it adds nothing a reader needs, so it has no alt text"});
    var problem = element("p", {className: "errornote", hidden: true});
    problem.setAttribute("role", "alert");
    var insert = element("button", {type: "button", className: "button", textContent: "Insert the image"});
    var cancel = element("button", {type: "button", className: "button", textContent: "Cancel"});
    [altLabel, alt, decorative, decorativeLabel, problem, insert, cancel].forEach(function (part) {
      box.appendChild(part);
    });
    container.insertBefore(box, editor.nextSibling);
    alt.focus();

    function close() {
      box.remove();
      editor.focus();
    }

    function send() {
      var text = alt.value.trim();
      if (!text && !decorative.checked) {
        problem.textContent = "Describe the image, or tick “Decorative” if it adds nothing a reader needs.";
        problem.hidden = false;
        alt.focus();
        return;
      }
      var body = new FormData();
      body.append("image", file);
      body.append("alt", text);
      if (decorative.checked) {
        body.append("decorative", "on");
      }
      insert.disabled = true;
      fetch(editor.getAttribute("data-markdownx-upload-urls-path"), {
        method: "POST",
        body: body,
        headers: {"X-CSRFToken": csrfToken()},
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().catch(function () {
          return {error: "The image could not be uploaded."};
        });
      }).then(function (answer) {
        if (answer.image_code) {
          insertAtCaret(editor, answer.image_code);
          close();
        } else {
          problem.textContent = answer.error || "The image could not be uploaded.";
          problem.hidden = false;
          insert.disabled = false;
        }
      }, function () {
        problem.textContent = "The image could not be uploaded: the site did not answer. Try again.";
        problem.hidden = false;
        insert.disabled = false;
      });
    }

    insert.addEventListener("click", send);
    cancel.addEventListener("click", close);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.tagName === "INPUT") {
        event.preventDefault();
        send();
      } else if (event.key === "Escape") {
        close();
      }
    });
  }

  function showImageInputs(root) {
    root.querySelectorAll(".markdown-image").forEach(function (tools) {
      tools.hidden = false;
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.classList && input.classList.contains("markdown-image-file") && input.files.length) {
      describeAndUpload(input.closest(".markdownx"), input.files[0]);
      input.value = "";
    }
  });

  // Dropped and pasted images take the same way (before markdownx's own upload, which asks for no description).
  function takeFiles(event, files) {
    var editor = event.target;
    if (!editor.classList || !editor.classList.contains("markdownx-editor") || !files || !files.length) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    describeAndUpload(editor.closest(".markdownx"), files[0]);
  }

  document.addEventListener("drop", function (event) {
    takeFiles(event, event.dataTransfer && event.dataTransfer.files);
  }, true);
  document.addEventListener("paste", function (event) {
    takeFiles(event, event.clipboardData && event.clipboardData.files);
  }, true);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      showImageInputs(document);
    });
  } else {
    showImageInputs(document);
  }

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
