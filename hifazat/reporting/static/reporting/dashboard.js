// Charts and map of the response dashboard. The figures come as JSON in data attributes, so the page needs no
// inline script (CSP) and htmx swaps them in with the tables; hidden values arrive as null and are left out (a gap in a line, no bar). Drawn again when
// htmx swaps in filtered figures. Urdu: the Naskh font for every label once the fonts have loaded, axes and
// legends mirrored, the map's zoom control on the left.
(function () {
  var charts = [];
  var map = null;
  var boundaries = null; // the base layer's GeoJSON, fetched once from the project's own static files
  var COLOURS = ["#0b4f6c", "#c0392b", "#2e7d32", "#8e44ad", "#d35400", "#5c6f7b"];
  var BANDS = { low: "#2e7d32", medium: "#f0ad4e", high: "#d35400", urgent: "#c0392b" };

  function read(id) {
    var block = document.getElementById(id);
    return block ? JSON.parse(block.getAttribute("data-json")) : null;
  }

  // A long label on several lines rather than cut: Chart.js draws an array as lines.
  function wrap(label, width) {
    if (typeof label !== "string" || label.length <= width) return label;
    var lines = [], line = "";
    label.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    return lines;
  }

  // What a chart drew, on its canvas (for tests and for anyone inspecting the page): each dataset's values.
  function mark(canvas, datasets) {
    canvas.setAttribute("data-drawn", datasets.map(function (d) {
      return d.label + ":" + d.data.map(function (v) { return v === null ? "*" : v; }).join(",");
    }).join(";"));
  }

  function drawCharts(rtl, urdu) {
    var data = read("dashboard-data");
    if (!data || typeof Chart === "undefined") return;
    var family = urdu ? '"Noto Naskh Arabic", system-ui, sans-serif' : "system-ui, sans-serif";
    Chart.defaults.font.family = family;
    Chart.defaults.font.size = 12;
    charts.forEach(function (chart) { chart.destroy(); });
    charts = [];
    var narrow = window.innerWidth < 576;

    function options(title, extra) {
      var base = {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: urdu ? "ur-PK" : "en",
        layout: { padding: 4 },
        plugins: {
          title: { display: true, text: title, font: { size: 14, family: family } },
          legend: { display: false, rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
          tooltip: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
        },
      };
      Object.keys(extra || {}).forEach(function (key) { base[key] = extra[key]; });
      return base;
    }

    function bar(id, figures, label, title, horizontal) {
      var canvas = document.querySelector('[data-chart="' + id + '"]');
      if (!canvas || !figures.labels.length) return;
      var values = { beginAtZero: true, ticks: { precision: 0 }, reverse: horizontal && rtl };
      var categories = {
        reverse: !horizontal && rtl,
        position: horizontal && rtl ? "right" : undefined,
        ticks: { autoSkip: false, maxRotation: 0 },
      };
      charts.push(new Chart(canvas, {
        type: "bar",
        data: {
          labels: figures.labels.map(function (l) { return wrap(l, narrow ? 14 : 22); }),
          datasets: [{ label: label, data: figures.values, backgroundColor: "#0b4f6c" }],
        },
        options: options(title, {
          indexAxis: horizontal ? "y" : "x",
          scales: horizontal ? { x: values, y: categories } : { x: categories, y: values },
        }),
      }));
      mark(canvas, charts[charts.length - 1].data.datasets);
    }
    bar("groups", data.groups, data.text.people, data.text.groups_title, true);
    bar("screenings", data.screenings, data.text.screenings, data.text.screenings_title, false);
    bar("cases", data.cases, data.text.cases, data.text.cases_title, false);

    var months = data.months || [];
    var timeAxis = { reverse: rtl, ticks: { autoSkip: true, maxRotation: 60, minRotation: 0 } };
    var countAxis = { beginAtZero: true, position: rtl ? "right" : "left", ticks: { precision: 0 } };
    var legend = { display: true, position: "bottom", rtl: rtl, textDirection: rtl ? "rtl" : "ltr" };
    var overTime = document.querySelector('[data-chart="over-time"]');
    if (overTime && months.length) {
      var lines = options(data.text.over_time_title, { scales: { x: timeAxis, y: countAxis } });
      lines.plugins.legend = legend;
      charts.push(new Chart(overTime, {
        type: "line",
        data: {
          labels: months,
          datasets: data.series.map(function (series, i) {
            return {
              label: series.label, data: series.values, borderColor: COLOURS[i % COLOURS.length],
              backgroundColor: COLOURS[i % COLOURS.length], spanGaps: false, tension: 0, pointRadius: 3,
            };
          }),
        },
        options: lines,
      }));
      mark(overTime, charts[charts.length - 1].data.datasets);
    }
    var bands = document.querySelector('[data-chart="bands"]');
    if (bands && months.length) {
      var stacked = options(data.text.bands_title, {
        scales: { x: Object.assign({ stacked: true }, timeAxis), y: Object.assign({ stacked: true }, countAxis) },
      });
      stacked.plugins.legend = legend;
      var keys = Object.keys(BANDS);
      charts.push(new Chart(bands, {
        type: "bar",
        data: {
          labels: months,
          datasets: data.bands.map(function (band, i) {
            return { label: band.label, data: band.values, backgroundColor: BANDS[keys[i]] || COLOURS[i] };
          }),
        },
        options: stacked,
      }));
      mark(bands, charts[charts.length - 1].data.datasets);
    }
  }

  function label(text) {
    // Names are text, never HTML: a place called "<img onerror=...>" shows as those characters.
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function drawMap(rtl, urdu) {
    var element = document.querySelector('[data-map="dashboard"]');
    var data = read("map-data");
    // After an htmx swap the old map's element is gone from the page: Leaflet cannot remove a map whose element
    // is detached, and nothing holds it any more, so it is dropped.
    if (map && document.body.contains(map.getContainer())) map.remove();
    map = null;
    if (!element || !data || typeof L === "undefined") return;
    map = L.map(element, { zoomControl: false, attributionControl: false, minZoom: 4 });
    L.control.zoom({ position: rtl ? "topleft" : "topright" }).addTo(map);
    L.control.scale({ position: rtl ? "bottomright" : "bottomleft", imperial: false }).addTo(map);
    var byFeature = {};
    data.areas.forEach(function (area) { byFeature[area.feature] = area; });
    var highest = Math.max.apply(null, data.areas.map(function (a) { return a.value || 0; }).concat([1]));
    var base = null;
    if (boundaries) {
      base = L.geoJSON(boundaries, {
        style: function (feature) {
          var area = byFeature[feature.properties.code];
          var share = area && area.value ? area.value / highest : 0;
          return {
            color: "#7a8b99", weight: 1, fillColor: area ? "#0b4f6c" : "#dfe6ec",
            fillOpacity: area ? 0.12 + 0.45 * share : 0.6,
          };
        },
        onEachFeature: function (feature, layer) {
          var area = byFeature[feature.properties.code];
          var name = area ? area.name : (urdu && feature.properties.name_ur) || feature.properties.name;
          var text = area ? name + ": " + area.text : name;
          layer.bindTooltip(label(text), {
            permanent: true, direction: "center", className: "hz-map-area", interactive: false,
          });
        },
      }).addTo(map);
    }
    var highestPlace = Math.max.apply(null, data.places.map(function (p) { return p.value || 0; }).concat([1]));
    var points = L.featureGroup();
    data.places.forEach(function (place) {
      var hidden = place.value === null;
      var radius = hidden ? 6 : 6 + 14 * Math.sqrt((place.value || 0) / highestPlace);
      var marker = L.circleMarker([place.lat, place.lon], {
        radius: radius, weight: 2, color: hidden ? "#5c6f7b" : "#0b4f6c",
        fillColor: hidden ? "#ffffff" : "#0b4f6c", fillOpacity: hidden ? 0.8 : 0.55,
      });
      marker.bindTooltip(label(place.name + ": " + place.text), {
        permanent: true, direction: rtl ? "left" : "right", className: "hz-map-label",
      });
      marker.bindPopup(label(place.name + " · " + data.text.people + ": " + place.text));
      points.addLayer(marker);
    });
    points.addTo(map);
    element.setAttribute("data-drawn", data.places.map(function (p) { return p.name + ":" + p.text; }).join(";"));
    var bounds = points.getLayers().length ? points.getBounds() : base ? base.getBounds() : null;
    if (bounds && bounds.isValid()) map.fitBounds(bounds.pad(0.4), { maxZoom: 9 });
    else map.setView([30.4, 69.3], 5);
  }

  function draw() {
    var rtl = document.documentElement.dir === "rtl";
    var urdu = document.documentElement.lang === "ur";
    // Each on its own: a chart that cannot be drawn must not leave the map undrawn. The error still reaches the
    // console (and the browser tests), thrown outside this call.
    [drawCharts, drawMap].forEach(function (step) {
      try { step(rtl, urdu); } catch (error) { setTimeout(function () { throw error; }); }
    });
  }

  function loadBoundaries() {
    var holder = document.getElementById("dashboard-figures");
    var url = holder && holder.getAttribute("data-boundaries");
    if (!url || boundaries || !window.fetch) return Promise.resolve();
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (json) { boundaries = json; })
      .catch(function () { boundaries = null; });
  }

  function whenReady() {
    var fonts = document.fonts && document.fonts.ready ? document.fonts.ready : Promise.resolve();
    // Urdu labels drawn before the Naskh font has loaded would be measured and cut in a fallback font.
    if (document.fonts && document.documentElement.lang === "ur" && document.fonts.load) {
      fonts = Promise.all([fonts, document.fonts.load('12px "Noto Naskh Arabic"', "اردو")]);
    }
    Promise.all([fonts, loadBoundaries()]).then(draw);
  }
  document.addEventListener("DOMContentLoaded", whenReady);
  document.addEventListener("htmx:afterSettle", whenReady);
})();
