/* Small enhancements; every page works without this file.
   - On narrow screens the search filters start folded.
   - "在正文中查看" links in a figures table scroll smoothly to the quote, focus it and flash it
     (the plain #q-<id> anchor and the :target style already do the job without JavaScript). */
(function () {
  "use strict";
  function showQuote(id, push) {
    var target = document.getElementById(id);
    if (!target) return false;
    var quote = target.closest("mark.quote") || target;
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    quote.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "center" });
    quote.focus({ preventScroll: true });
    document.querySelectorAll("mark.quote.is-current").forEach(function (m) { m.classList.remove("is-current"); });
    quote.classList.add("is-current");
    if (push && history.pushState) history.pushState(null, "", "#" + id);
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.to-quote[data-quote]");
    if (link && showQuote(link.getAttribute("data-quote"), true)) event.preventDefault();
    var copy = event.target.closest && event.target.closest("button.copy-citation[data-copy]");
    if (copy) copyCitation(copy);
  });
  // "复制引用": the citation line to the clipboard; where the clipboard API is not allowed
  // (plain http), the text is selected so Ctrl+C copies it.
  function copyCitation(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var done = function () { button.textContent = "已复制"; setTimeout(function () { button.textContent = "复制引用"; }, 2000); };
    var select = function () {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      button.textContent = "已选中，按 Ctrl+C 复制";
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.textContent.trim()).then(done, select);
    } else {
      select();
    }
  }
  window.addEventListener("DOMContentLoaded", function () {
    if (location.hash.indexOf("#q-") === 0) showQuote(location.hash.slice(1), false);
    // On a phone the filters start folded so the results come first (open without JavaScript).
    var facets = document.querySelector("details.facets-box");
    if (facets && window.matchMedia("(max-width: 52rem)").matches) facets.open = false;
  });
})();
