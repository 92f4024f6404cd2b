// The outcome chart of a livelihood programme: median household income per month before the programme and at each
// follow-up interval (bars), and the share of participants whose activity still runs (line). The figures come from
// a JSON block (json_script) so that the page needs no inline script (CSP). After drawing, the canvas carries the
// values it drew in data-drawn, which tests read.
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("outcome-chart");
  var source = document.getElementById("outcome-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var rtl = document.documentElement.dir === "rtl";
  var draw = function () {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    var chart = new Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          {
            type: "bar", label: data.income_label, data: data.income, yAxisID: "income",
            backgroundColor: "#0b4f6c", order: 2,
          },
          {
            type: "line", label: data.running_label, data: data.running, yAxisID: "running",
            borderColor: "#b35900", backgroundColor: "#b35900", spanGaps: true, order: 1,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale: document.documentElement.lang,
        plugins: { legend: { rtl: rtl, position: "bottom" }, tooltip: { rtl: rtl } },
        scales: {
          x: { reverse: rtl },
          income: { type: "linear", position: rtl ? "right" : "left", beginAtZero: true },
          running: {
            type: "linear", position: rtl ? "left" : "right", min: 0, max: 100,
            grid: { drawOnChartArea: false },
          },
        },
      },
    });
    canvas.dataset.drawn = JSON.stringify({ income: chart.data.datasets[0].data, running: chart.data.datasets[1].data });
  };
  (document.fonts && document.fonts.ready ? document.fonts.ready : Promise.resolve()).then(draw);
});
