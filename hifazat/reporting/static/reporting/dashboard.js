// Charts of the response dashboard. The figures come from a JSON block (json_script), so the page needs no inline
// script (CSP); hidden values arrive as null and are left out. Drawn again when htmx swaps in filtered figures.
(function () {
  var charts = [];

  function draw() {
    var block = document.getElementById("dashboard-data");
    if (!block || typeof Chart === "undefined") return;
    var data = JSON.parse(block.textContent);
    var rtl = document.documentElement.dir === "rtl";
    var urdu = document.documentElement.lang === "ur";
    Chart.defaults.font.family = urdu ? '"Noto Naskh Arabic", system-ui, sans-serif' : "system-ui, sans-serif";
    charts.forEach(function (chart) { chart.destroy(); });
    charts = [];
    function bar(id, figures, label, horizontal) {
      var canvas = document.getElementById(id);
      if (!canvas || !figures.labels.length) return;
      var values = { beginAtZero: true, ticks: { precision: 0 }, reverse: horizontal && rtl };
      var categories = { reverse: !horizontal && rtl, position: horizontal && rtl ? "right" : undefined };
      charts.push(new Chart(canvas, {
        type: "bar",
        data: { labels: figures.labels, datasets: [{ label: label, data: figures.values, backgroundColor: "#0b4f6c" }] },
        options: {
          responsive: true,
          animation: false,
          indexAxis: horizontal ? "y" : "x",
          plugins: { legend: { display: false }, tooltip: { rtl: rtl } },
          scales: horizontal ? { x: values, y: categories } : { x: categories, y: values },
        },
      }));
    }
    bar("chart-groups", data.groups, data.text.people, true);
    bar("chart-screenings", data.screenings, data.text.screenings, false);
    bar("chart-cases", data.cases, data.text.cases, false);
  }

  function whenFontsReady() {
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(draw); else draw();
  }
  document.addEventListener("DOMContentLoaded", whenFontsReady);
  document.addEventListener("htmx:afterSettle", whenFontsReady);
})();
