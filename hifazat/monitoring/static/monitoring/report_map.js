// Reports by site on the offline map (Leaflet, no tile server): one circle per site, its area following the
// number of reports, with a link to that site's reports for the period. Data comes from a JSON block (CSP).
document.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("report-map");
  var data = document.getElementById("map-points");
  if (!element || !data || typeof L === "undefined") return;
  var rtl = document.documentElement.dir === "rtl";
  var map = L.map(element, { zoomControl: false, attributionControl: false });
  L.control.zoom({ position: rtl ? "topleft" : "topright" }).addTo(map);
  L.control.scale({ position: rtl ? "bottomright" : "bottomleft", imperial: false }).addTo(map);
  var features = JSON.parse(data.textContent);
  var most = Math.max.apply(null, features.map(function (f) { return f.properties.count; }).concat([1]));
  var layer = L.geoJSON({ type: "FeatureCollection", features: features }, {
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, {
        radius: 5 + 20 * Math.sqrt(feature.properties.count / most),
        weight: 2, color: "#a4161a", fillColor: "#e85d04", fillOpacity: 0.55,
      });
    },
    onEachFeature: function (feature, marker) {
      var link = document.createElement("a");
      link.href = feature.properties.url;
      link.textContent = feature.properties.name + ": " + feature.properties.count;
      // The name is text, never HTML: a site called "<img onerror=...>" must show as those characters.
      var label = document.createElement("span");
      label.textContent = feature.properties.name + ": " + feature.properties.count;
      marker.bindTooltip(label);
      marker.bindPopup(link);
    },
  }).addTo(map);
  var bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: 11 });
});
