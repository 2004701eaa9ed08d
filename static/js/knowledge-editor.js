/* The knowledge base's editor (Trix): a second heading level in the toolbar, and pictures pasted, dropped or
   chosen are uploaded first (to data-upload-url, stored as the article's attachments) and inserted with the
   address they are served from; Trix's own preview (a blob: URL the page's CSP refuses) is never made. */
(function () {
  "use strict";

  var IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];

  function csrfToken() {
    var body = document.body.getAttribute("hx-headers");
    try { return JSON.parse(body)["X-CSRFToken"]; } catch (error) { return ""; }
  }

  function showError(editor, text) {
    var box = editor.parentNode.querySelector(".article-editor-error");
    if (!box) {
      box = document.createElement("div");
      box.className = "article-editor-error invalid-feedback d-block";
      box.setAttribute("role", "alert");
      editor.parentNode.insertBefore(box, editor.nextSibling);
    }
    box.textContent = text;
  }

  function upload(editor, file) {
    var data = new FormData();
    data.append("file", file, file.name || "image.png");
    editor.classList.add("article-editor-uploading");
    fetch(editor.dataset.uploadUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    }).then(function (result) {
      editor.classList.remove("article-editor-uploading");
      if (!result.ok) { showError(editor, result.answer.error || "The picture was not taken."); return; }
      showError(editor, "");
      var attachment = new window.Trix.Attachment({ url: result.answer.url, contentType: "image/png" });
      editor.editor.insertAttachment(attachment);
    }).catch(function () {
      editor.classList.remove("article-editor-uploading");
      showError(editor, "The picture could not be uploaded; try again.");
    });
  }

  document.addEventListener("trix-before-initialize", function () {
    window.Trix.config.blockAttributes.heading2 = { tagName: "h2", terminal: true, breakOnReturn: true, group: false };
  });

  document.addEventListener("trix-initialize", function (event) {
    var editor = event.target;
    var toolbar = editor.toolbarElement;
    var heading = toolbar && toolbar.querySelector("[data-trix-attribute=heading1]");
    if (heading && !toolbar.querySelector("[data-trix-attribute=heading2]")) {
      var second = document.createElement("button");
      second.type = "button";
      second.className = "trix-button trix-button--text";
      second.setAttribute("data-trix-attribute", "heading2");
      second.title = "Subheading";
      second.textContent = "H2";
      heading.parentNode.insertBefore(second, heading.nextSibling);
    }
  });

  document.addEventListener("trix-file-accept", function (event) {
    var editor = event.target;
    event.preventDefault();
    if (!editor.dataset.uploadUrl) return;
    if (IMAGE_TYPES.indexOf(event.file.type) === -1) {
      showError(editor, "Only pictures go into the text (PNG, JPEG, GIF, WebP); attach other files on the Attachments tab.");
      return;
    }
    upload(editor, event.file);
  });
})();
