/* The article review page: link figure rows and their quotes in the body,
 * and add a missed figure from a text selection.
 *
 * The body is rendered as <span data-o="offset"> segments (cases/spans.py);
 * figure segments also carry data-figures="id …". Offsets are counted in
 * Unicode code points, as Python counts them, not in UTF-16 units. */
(function () {
  "use strict";

  const body = document.getElementById("article-body");
  const idsScript = document.getElementById("figure-ids");
  if (!body || !idsScript) {
    return;
  }
  const figureIds = JSON.parse(idsScript.textContent);
  const chars = Array.from(body.textContent);

  function clearActive() {
    document.querySelectorAll(".is-active").forEach(function (el) {
      el.classList.remove("is-active");
    });
  }

  function showQuote(id) {
    clearActive();
    const segments = body.querySelectorAll('[data-figures~="' + id + '"]');
    segments.forEach(function (s) { s.classList.add("is-active"); });
    if (segments.length) {
      const first = segments[0];
      body.scrollTop = first.offsetTop - body.offsetTop - body.clientHeight / 3;
    }
    const row = document.querySelector('#figures-group tr[data-figure="' + id + '"]');
    if (row) {
      row.classList.add("is-active");
    }
  }

  // Rows are rendered in the same order as figureIds (by start offset).
  figureIds.forEach(function (id, index) {
    const row = document.getElementById("figures-" + index);
    if (!row) {
      return;
    }
    row.dataset.figure = id;
    row.addEventListener("click", function () { showQuote(id); });
    row.addEventListener("focusin", function () { showQuote(id); });
  });

  body.addEventListener("click", function (event) {
    const segment = event.target.closest("[data-figures]");
    if (!segment || !window.getSelection().isCollapsed) {
      return;
    }
    const id = segment.dataset.figures.split(" ")[0];
    showQuote(id);
    const row = document.querySelector('#figures-group tr[data-figure="' + id + '"]');
    if (row) {
      row.scrollIntoView({block: "center"});
    }
  });

  // ---- a new figure from the selected text

  function offsetOf(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      const segment = node.parentElement.closest("[data-o]");
      if (!segment || !body.contains(segment)) {
        return null;
      }
      return parseInt(segment.dataset.o, 10) + Array.from(node.data.slice(0, offset)).length;
    }
    // An element boundary: the offset counts child nodes.
    if (node === body) {
      const child = body.childNodes[offset];
      return child ? parseInt(child.dataset.o, 10) : chars.length;
    }
    const segment = node.closest ? node.closest("[data-o]") : null;
    if (!segment || !body.contains(segment)) {
      return null;
    }
    const start = parseInt(segment.dataset.o, 10);
    return offset === 0 ? start : start + Array.from(segment.textContent).length;
  }

  function selectedSpan() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) {
      return null;
    }
    const range = selection.getRangeAt(0);
    if (!body.contains(range.commonAncestorContainer)) {
      return null;
    }
    let start = offsetOf(range.startContainer, range.startOffset);
    let end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) {
      return null;
    }
    // Trim surrounding whitespace so the quote is exactly the text.
    while (start < end && /\s/.test(chars[start])) { start++; }
    while (end > start && /\s/.test(chars[end - 1])) { end--; }
    return end > start ? {start: start, end: end, quote: chars.slice(start, end).join("")} : null;
  }

  const button = document.getElementById("add-figure-from-selection");
  if (!button) {
    return;
  }
  let lastSpan = null;
  document.addEventListener("selectionchange", function () {
    const span = selectedSpan();
    if (span) {
      lastSpan = span;
    }
    button.disabled = !span;
    button.title = span ? "“" + span.quote + "”（" + span.start + "–" + span.end + "）" : "";
  });

  button.addEventListener("mousedown", function (event) {
    event.preventDefault(); // keep the selection
  });

  button.addEventListener("click", function () {
    const span = selectedSpan() || lastSpan;
    const add = document.querySelector("#figures-group .add-row a");
    if (!span || !add) {
      return;
    }
    add.click();
    const rows = document.querySelectorAll("#figures-group tr.form-row:not(.empty-form)");
    const row = rows[rows.length - 1];
    function set(suffix, value) {
      const input = row.querySelector('[name$="-' + suffix + '"]');
      if (input) {
        input.value = value;
        input.dispatchEvent(new Event("change", {bubbles: true}));
      }
    }
    set("quote", span.quote);
    set("start", span.start);
    set("end", span.end);
    const number = span.quote.replace(/,/g, "").match(/\d+(?:\.\d+)?/);
    if (number) {
      set("value", number[0]);
    }
    row.classList.add("is-new");
    row.scrollIntoView({block: "center"});
    const label = row.querySelector('[name$="-label"]');
    if (label) {
      label.focus();
    }
  });
})();
