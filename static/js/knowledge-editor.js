/* The knowledge base's editor (TipTap, static/vendor/tiptap): a toolbar of our own (one tab stop, arrow keys
   between its buttons, Alt+F10 to reach it from the text and Escape back), tables that can be inserted and
   edited (rows, columns, header row, merged cells), links limited to http(s) and mailto, and pictures pasted,
   dropped or chosen uploaded first (to data-upload-url, stored as the article's attachments) and inserted with
   the address they are served from: no blob: or data: picture ever goes into the text. The HTML goes into the
   form's hidden input on every change; the server sanitises it again on save. */
(function () {
  "use strict";

  var IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
  var IMAGE_SOURCE = /^\/knowledge\/images\/\d+\/$/;
  var LINK_SCHEMES = /^(https?:\/\/|mailto:)/i;

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (error) { return ""; }
  }

  function extensions(TipTap) {
    // the table without the inline style and column widths TipTap writes into its HTML: the sanitiser drops
    // them, and the CSP refuses inline style when a table is copied and pasted
    var Table = TipTap.Table.extend({
      renderHTML: function (props) {
        return ["table", TipTap.mergeAttributes(this.options.HTMLAttributes, props.HTMLAttributes), ["tbody", 0]];
      }
    });
    // a cell without the alignment TipTap writes as inline style (pasted from a spreadsheet): the sanitiser
    // drops it, and the CSP refuses it in the editor
    function withoutAlignment(Cell) {
      return Cell.extend({
        addAttributes: function () {
          var attributes = Object.assign({}, this.parent());
          delete attributes.align;
          return attributes;
        }
      });
    }
    // a picture is one of the knowledge base's own (pasted HTML naming another server's is left out)
    var Image = TipTap.Image.extend({
      parseHTML: function () {
        return [{
          tag: "img[src]",
          getAttrs: function (element) { return IMAGE_SOURCE.test(element.getAttribute("src")) ? null : false; }
        }];
      }
    });
    return [
      TipTap.StarterKit.configure({ heading: { levels: [1, 2, 3] }, link: false }),
      TipTap.Link.configure({
        openOnClick: false,
        autolink: true,
        protocols: ["mailto"],
        defaultProtocol: "https",
        HTMLAttributes: { target: null, rel: "noopener noreferrer nofollow" },
        isAllowedUri: function (url) { return LINK_SCHEMES.test(url) || url.charAt(0) === "#"; }
      }),
      Image,
      Table.configure({ resizable: false, cellMinWidth: 96 }),
      TipTap.TableRow,
      withoutAlignment(TipTap.TableHeader),
      withoutAlignment(TipTap.TableCell)
    ];
  }

  /* The table the caret is in has its first row as headings. */
  function firstRowIsHeader(editor) {
    var place = editor.state.selection.$from;
    for (var depth = place.depth; depth > 0; depth -= 1) {
      var node = place.node(depth);
      if (node.type.name !== "table") continue;
      var headers = true;
      node.firstChild.forEach(function (cell) { headers = headers && cell.type.name === "tableHeader"; });
      return headers;
    }
    return false;
  }

  /* What each button does, whether it shows as pressed, and whether it can be used where the caret is. */
  var COMMANDS = {
    paragraph: { run: function (c) { return c.setParagraph(); }, active: function (e) { return e.isActive("paragraph"); } },
    heading1: { run: function (c) { return c.toggleHeading({ level: 1 }); }, active: function (e) { return e.isActive("heading", { level: 1 }); } },
    heading2: { run: function (c) { return c.toggleHeading({ level: 2 }); }, active: function (e) { return e.isActive("heading", { level: 2 }); } },
    heading3: { run: function (c) { return c.toggleHeading({ level: 3 }); }, active: function (e) { return e.isActive("heading", { level: 3 }); } },
    bold: { run: function (c) { return c.toggleBold(); }, active: function (e) { return e.isActive("bold"); } },
    italic: { run: function (c) { return c.toggleItalic(); }, active: function (e) { return e.isActive("italic"); } },
    underline: { run: function (c) { return c.toggleUnderline(); }, active: function (e) { return e.isActive("underline"); } },
    strike: { run: function (c) { return c.toggleStrike(); }, active: function (e) { return e.isActive("strike"); } },
    code: { run: function (c) { return c.toggleCode(); }, active: function (e) { return e.isActive("code"); } },
    bulletList: { run: function (c) { return c.toggleBulletList(); }, active: function (e) { return e.isActive("bulletList"); } },
    orderedList: { run: function (c) { return c.toggleOrderedList(); }, active: function (e) { return e.isActive("orderedList"); } },
    blockquote: { run: function (c) { return c.toggleBlockquote(); }, active: function (e) { return e.isActive("blockquote"); } },
    codeBlock: { run: function (c) { return c.toggleCodeBlock(); }, active: function (e) { return e.isActive("codeBlock"); } },
    horizontalRule: { run: function (c) { return c.setHorizontalRule(); } },
    undo: { run: function (c) { return c.undo(); } },
    redo: { run: function (c) { return c.redo(); } },
    addRowBefore: { run: function (c) { return c.addRowBefore(); } },
    addRowAfter: { run: function (c) { return c.addRowAfter(); } },
    addColumnBefore: { run: function (c) { return c.addColumnBefore(); } },
    addColumnAfter: { run: function (c) { return c.addColumnAfter(); } },
    deleteRow: { run: function (c) { return c.deleteRow(); } },
    deleteColumn: { run: function (c) { return c.deleteColumn(); } },
    toggleHeaderRow: { run: function (c) { return c.toggleHeaderRow(); }, active: firstRowIsHeader },
    mergeCells: { run: function (c) { return c.mergeCells(); } },
    splitCell: { run: function (c) { return c.splitCell(); } },
    deleteTable: { run: function (c) { return c.deleteTable(); } }
  };

  /* The WAI-ARIA toolbar pattern: one button of the toolbar is in the tab order, arrow keys, Home and End move. */
  function rovingToolbar(toolbar, onEscape) {
    function buttons() {
      return Array.prototype.filter.call(toolbar.querySelectorAll("button"), function (button) {
        return button.offsetParent !== null;
      });
    }
    function focusOn(button) {
      buttons().forEach(function (other) { other.tabIndex = other === button ? 0 : -1; });
      button.focus();
    }
    toolbar.querySelectorAll("button").forEach(function (button, index) { button.tabIndex = index === 0 ? 0 : -1; });
    toolbar.addEventListener("keydown", function (event) {
      var all = buttons();
      var index = all.indexOf(document.activeElement);
      if (index === -1) return;
      var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: all.length - 1 }[event.key];
      if (event.key === "Escape") { event.preventDefault(); onEscape(); return; }
      if (next === undefined) return;
      event.preventDefault();
      focusOn(all[(next + all.length) % all.length]);
    });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (button) buttons().forEach(function (other) { other.tabIndex = other === button ? 0 : -1; });
    });
    return {
      focus: function () {
        var all = buttons();
        var current = all.filter(function (button) { return button.tabIndex === 0; })[0] || all[0];
        if (current) focusOn(current);
      }
    };
  }

  function setUp(root) {
    var TipTap = window.TipTap;
    var input = root.querySelector("input[type=hidden]");
    var mount = root.querySelector(".article-editor-content");
    var toolbar = root.querySelector(".article-editor-toolbar");
    var tableTools = root.querySelector(".article-editor-table-tools");
    var linkPanel = root.querySelector(".article-editor-link-panel");
    var tablePanel = root.querySelector(".article-editor-table-panel");
    var fileInput = root.querySelector("input[type=file]");
    var errorBox = root.querySelector(".article-editor-error");
    var status = root.querySelector(".article-editor-status");
    var uploads = 0;
    var editor;

    function showError(text) {
      errorBox.textContent = text;
      errorBox.hidden = !text;
    }

    function upload(file) {
      if (!root.dataset.uploadUrl) return;
      if (IMAGE_TYPES.indexOf(file.type) === -1) {
        showError("Only pictures go into the text (PNG, JPEG, GIF, WebP); attach other files on the Attachments tab.");
        return;
      }
      var data = new FormData();
      data.append("file", file, file.name || "image.png");
      uploads += 1;
      root.classList.add("article-editor-uploading");
      root.setAttribute("aria-busy", "true");
      status.textContent = "Uploading the picture…";
      fetch(root.dataset.uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() }
      }).then(function (response) {
        return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
      }).then(function (result) {
        if (!result.ok) { showError(result.answer.error || "The picture was not taken."); return; }
        showError("");
        var alt = (result.answer.name || "").replace(/\.[a-z0-9]+$/i, "");
        editor.chain().focus().setImage({ src: result.answer.url, alt: alt }).run();
      }).catch(function () {
        showError("The picture could not be uploaded; try again.");
      }).then(function () {
        uploads -= 1;
        if (!uploads) {
          root.classList.remove("article-editor-uploading");
          root.removeAttribute("aria-busy");
          status.textContent = "";
        }
      });
    }

    function uploadAll(files) {
      Array.prototype.forEach.call(files, upload);
    }

    var roving = rovingToolbar(toolbar, function () { editor.commands.focus(); });
    var tableRoving = rovingToolbar(tableTools, function () { editor.commands.focus(); });

    // a button that cannot be used here stays focusable (aria-disabled, not disabled): the toolbar's one tab
    // stop must not vanish when, say, Undo has nothing to undo
    function usable(button, yes) {
      button.setAttribute("aria-disabled", yes ? "false" : "true");
      button.classList.toggle("disabled", !yes);
    }

    function refresh() {
      if (!editor) return;
      root.querySelectorAll("[data-command]").forEach(function (button) {
        var command = COMMANDS[button.dataset.command];
        if (command.active) button.setAttribute("aria-pressed", command.active(editor) ? "true" : "false");
        usable(button, command.run(editor.can().chain().focus()).run());
      });
      var inTable = editor.isActive("table");
      root.querySelector("[data-panel=link]").setAttribute("aria-pressed", editor.isActive("link") ? "true" : "false");
      usable(root.querySelector("[data-panel=table]"), !inTable);
      tableTools.hidden = !inTable;
    }

    function openPanel(panel, opener) {
      closePanels();
      panel.hidden = false;
      opener.setAttribute("aria-expanded", "true");
      var first = panel.querySelector("input");
      first.focus();
      first.select();
    }

    function closePanels(returnFocus) {
      [linkPanel, tablePanel].forEach(function (panel) {
        if (panel.hidden) return;
        panel.hidden = true;
        root.querySelector("[aria-controls='" + panel.id + "']").setAttribute("aria-expanded", "false");
      });
      if (returnFocus) editor.commands.focus();
    }

    function openLinkPanel() {
      var field = linkPanel.querySelector("input");
      field.value = editor.getAttributes("link").href || "";
      field.classList.remove("is-invalid");
      linkPanel.querySelector("[data-link=remove]").hidden = !editor.isActive("link");
      openPanel(linkPanel, root.querySelector("[data-panel=link]"));
    }

    function applyLink() {
      var field = linkPanel.querySelector("input");
      var address = field.value.trim();
      if (address && !LINK_SCHEMES.test(address) && !/^[a-z][a-z0-9+.-]*:/i.test(address)) address = "https://" + address;
      if (!LINK_SCHEMES.test(address)) {
        field.classList.add("is-invalid");
        field.focus();
        return;
      }
      var chain = editor.chain().focus();
      if (editor.state.selection.empty && !editor.isActive("link")) {
        chain.insertContent({ type: "text", text: address, marks: [{ type: "link", attrs: { href: address } }] });
      } else {
        chain.extendMarkRange("link").setLink({ href: address });
      }
      chain.run();
      closePanels();
    }

    function insertTable() {
      var number = function (name, largest) {
        var value = parseInt(tablePanel.querySelector("[name=" + name + "]").value, 10);
        return Math.min(Math.max(isNaN(value) ? 2 : value, 1), largest);
      };
      editor.chain().focus().insertTable({
        rows: number("rows", 50),
        cols: number("columns", 12),
        withHeaderRow: tablePanel.querySelector("[name=header]").checked
      }).run();
      closePanels();
    }

    editor = new TipTap.Editor({
      element: mount,
      extensions: extensions(TipTap),
      content: input.value,
      injectCSS: false,
      editorProps: {
        attributes: {
          id: input.id + "-editor",
          class: "article-body article-editor-text",
          role: "textbox",
          "aria-multiline": "true",
          "aria-label": root.dataset.label || "Article body",
          "aria-describedby": root.dataset.describedby || ""
        },
        handlePaste: function (view, event) {
          var clipboard = event.clipboardData;
          // a picture copied alone (a screenshot); text copied with a picture of itself (Word, a web page) is text
          if (!clipboard || !clipboard.files.length || clipboard.getData("text/plain")) return false;
          event.preventDefault();
          uploadAll(clipboard.files);
          return true;
        },
        handleDrop: function (view, event, slice, moved) {
          var files = event.dataTransfer && event.dataTransfer.files;
          if (moved || !files || !files.length) return false;
          event.preventDefault();
          var place = view.posAtCoords({ left: event.clientX, top: event.clientY });
          if (place) editor.commands.setTextSelection(place.pos);
          uploadAll(files);
          return true;
        },
        handleKeyDown: function (view, event) {
          if (event.altKey && event.key === "F10") { event.preventDefault(); roving.focus(); return true; }
          if ((event.ctrlKey || event.metaKey) && event.key === "k") { event.preventDefault(); openLinkPanel(); return true; }
          if (event.key === "Escape") {
            event.preventDefault();
            (editor.isActive("table") ? tableRoving : roving).focus();
            return true;
          }
          return false;
        }
      },
      onUpdate: function () { input.value = editor.isEmpty ? "" : editor.getHTML(); },
      onTransaction: refresh,
      onCreate: function () { root.classList.add("article-editor-ready"); }
    });
    refresh();

    root.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !root.contains(button) || button.getAttribute("aria-disabled") === "true") return;
      if (button.dataset.command) {
        COMMANDS[button.dataset.command].run(editor.chain().focus()).run();
      } else if (button.dataset.panel === "link") {
        if (linkPanel.hidden) openLinkPanel(); else closePanels(true);
      } else if (button.dataset.panel === "table") {
        if (tablePanel.hidden) openPanel(tablePanel, button); else closePanels(true);
      } else if (button.dataset.link === "apply") {
        applyLink();
      } else if (button.dataset.link === "remove") {
        editor.chain().focus().extendMarkRange("link").unsetLink().run();
        closePanels();
      } else if (button.dataset.table === "insert") {
        insertTable();
      } else if (button.dataset.close !== undefined) {
        closePanels(true);
      } else if (button.dataset.image !== undefined) {
        fileInput.click();
      }
    });

    // Enter in a panel's field does the panel's work (and does not submit the article's form); Escape closes it
    [linkPanel, tablePanel].forEach(function (panel) {
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { event.preventDefault(); closePanels(true); }
        if (event.key === "Enter" && event.target.tagName === "INPUT") {
          event.preventDefault();
          if (panel === linkPanel) applyLink(); else insertTable();
        }
      });
    });

    fileInput.addEventListener("change", function () {
      uploadAll(fileInput.files);
      fileInput.value = "";
    });

    var form = root.closest("form");
    if (form) {
      form.addEventListener("submit", function (event) {
        if (uploads) {
          event.preventDefault();
          showError("A picture is still uploading; save again when it shows in the text.");
        }
      });
    }
  }

  function start() {
    if (!window.TipTap) return;
    document.querySelectorAll("[data-article-editor]").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
