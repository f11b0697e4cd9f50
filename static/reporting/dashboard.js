/* Dashboards: sortable tables and the quarterly chart. The chart's data comes from the JSON
   data island #series-data (CSP-safe: no inline script); the table below it is the text
   alternative. */
(function () {
  "use strict";

  function sortValue(cell) {
    var raw = cell.getAttribute("data-sort");
    if (raw === null) raw = cell.textContent.trim();
    var num = Number(raw);
    return raw !== "" && !isNaN(num) ? num : raw.toLocaleLowerCase("vi");
  }

  function sortTable(table, index, th) {
    var body = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) {
      c.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows).filter(function (r) {
      return r.cells.length > index;
    });
    rows.sort(function (a, b) {
      var x = sortValue(a.cells[index]);
      var y = sortValue(b.cells[index]);
      var cmp = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "vi");
      return ascending ? cmp : -cmp;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    if (!table.tHead) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = th.querySelector("button.sort");
      if (button) button.addEventListener("click", function () { sortTable(table, index, th); });
    });
  });

  var island = document.getElementById("series-data");
  var canvas = document.getElementById("series-chart");
  if (island && canvas && window.Chart) {
    var data = JSON.parse(island.textContent);
    var locale = document.documentElement.lang || "vi";
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.names.clubs, data: data.clubs, yAxisID: "clubs", borderColor: "#3b528b",
            backgroundColor: "#3b528b", pointStyle: "circle", borderWidth: 2, tension: 0 },
          { label: data.names.members, data: data.members, yAxisID: "members", borderColor: "#21918c",
            backgroundColor: "#21918c", pointStyle: "triangle", borderDash: [6, 4], borderWidth: 2, tension: 0 }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        locale: locale,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          clubs: { type: "linear", position: "left", beginAtZero: true, title: { display: true, text: data.names.clubs } },
          members: { type: "linear", position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: data.names.members } }
        },
        plugins: { legend: { labels: { usePointStyle: true } } }
      }
    });
  }
})();
