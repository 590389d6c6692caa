// The job page polls its progress/ JSON while the worker runs and redraws bar, counts, files, log.
(function () {
  "use strict";
  var root = document.querySelector(".upload-job");
  if (!root || root.dataset.finished === "1") { return; }
  var url = root.dataset.progressUrl;
  var articles = root.dataset.articleList;

  function cell(row, cls, text, href) {
    var td = row.querySelector("." + cls);
    td.textContent = "";
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
  }

  function draw(data) {
    var bar = document.getElementById("job-progress");
    bar.max = data.files_total || 1;
    bar.value = data.files_done;
    var state = document.getElementById("job-state");
    state.textContent = data.state_label;
    state.className = "upload-state upload-state-" + data.state;
    document.getElementById("job-files").textContent = data.files_done + "/" + data.files_total;
    document.getElementById("job-articles").textContent = data.articles_created;
    document.getElementById("job-figures").textContent = data.figures_found;
    document.getElementById("job-log").textContent = data.log;
    data.files.forEach(function (file) {
      var row = root.querySelector('tr[data-file="' + file.id + '"]');
      if (!row) { return; }
      row.className = "file-" + file.state;
      cell(row, "file-format", (file.file_format || "—").toUpperCase());
      cell(row, "file-pages", file.page_count || "—");
      var badge = row.querySelector(".file-state");
      badge.innerHTML = "";
      var span = document.createElement("span");
      span.className = "upload-state upload-state-" + file.state;
      span.textContent = file.state_label;
      badge.appendChild(span);
      var counts = file.articles_total + "（" + file.articles_created + "）";
      cell(row, "file-articles", file.source_id ? counts : "—", file.source_id ? articles + "?source__id__exact=" + file.source_id : null);
      cell(row, "file-figures", String(file.figures_found));
      cell(row, "file-message", file.message);
    });
    if (data.finished) {
      root.dataset.finished = "1";
      var hint = document.getElementById("worker-hint");
      if (hint) { hint.remove(); }
    }
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) { draw(data); }
        if (!data || !data.finished) { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
