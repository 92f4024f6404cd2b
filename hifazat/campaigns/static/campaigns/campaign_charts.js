// Reach and coverage charts of a campaign page. The figures come from a JSON block (json_script) so that the page
// needs no inline script (CSP). Suppressed values arrive as null and are left out of the bars.
document.addEventListener("DOMContentLoaded", function () {
  var block = document.getElementById("coverage-data");
  if (!block || typeof Chart === "undefined") return;
  var data = JSON.parse(block.textContent);
  var rtl = document.documentElement.dir === "rtl";
  var urdu = document.documentElement.lang === "ur";
  var colours = { registered: "#9fb8c6", reached: "#0b4f6c", before: "#c9a227", after: "#2e7d32" };

  function draw() {
    Chart.defaults.font.family = urdu ? '"Noto Naskh Arabic", system-ui, sans-serif' : "system-ui, sans-serif";
    var common = {
      responsive: true,
      animation: false,
      plugins: { legend: { rtl: rtl, position: "bottom" }, tooltip: { rtl: rtl } },
    };
    function bar(id, labels, datasets, options) {
      var canvas = document.getElementById(id);
      if (!canvas || !labels.length) return;
      new Chart(canvas, {
        type: "bar",
        data: { labels: labels, datasets: datasets },
        options: Object.assign({}, common, options || {}),
      });
    }
    var x = { reverse: rtl, ticks: { autoSkip: false } };
    bar("chart-sites", data.sites.labels, [
      { label: data.text.registered, data: data.sites.registered, backgroundColor: colours.registered },
      { label: data.text.reached, data: data.sites.reached, backgroundColor: colours.reached },
    ], { scales: { x: x, y: { beginAtZero: true, ticks: { precision: 0 }, position: rtl ? "right" : "left" } } });
    bar("chart-groups", data.groups.labels, [
      { label: data.text.share, data: data.groups.share, backgroundColor: colours.reached },
    ], { indexAxis: "y", scales: { x: { min: 0, max: 100, reverse: rtl }, y: { position: rtl ? "right" : "left" } } });
    bar("chart-knowledge", data.knowledge.labels, [
      { label: data.text.before, data: data.knowledge.before, backgroundColor: colours.before },
      { label: data.text.after, data: data.knowledge.after, backgroundColor: colours.after },
    ], { scales: { x: x, y: { min: 0, max: 100, position: rtl ? "right" : "left" } } });
  }
  // Urdu labels need the web font in place before Chart.js measures them.
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(draw); else draw();
});
