// A map of site points with no tile server: Leaflet draws the points on a plain background.
// Data comes from a JSON block (json_script) so that the page needs no inline script (CSP).
document.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("site-map");
  var data = document.getElementById("map-points");
  if (!element || !data || typeof L === "undefined") return;
  var rtl = document.documentElement.dir === "rtl";
  var map = L.map(element, { zoomControl: false, attributionControl: false });
  L.control.zoom({ position: rtl ? "topleft" : "topright" }).addTo(map);
  L.control.scale({ position: rtl ? "bottomright" : "bottomleft", imperial: false }).addTo(map);
  var layer = L.geoJSON({ type: "FeatureCollection", features: JSON.parse(data.textContent) }, {
    pointToLayer: function (feature, latlng) {
      var current = feature.properties.current;
      return L.circleMarker(latlng, {
        radius: current ? 9 : 6, weight: 2, color: current ? "#0b4f6c" : "#5c6f7b",
        fillColor: current ? "#0b4f6c" : "#ffffff", fillOpacity: current ? 0.9 : 0.8,
      });
    },
    onEachFeature: function (feature, marker) {
      var link = document.createElement("a");
      link.href = feature.properties.url;
      link.textContent = feature.properties.name;
      // The name is text, never HTML: a site called "<img onerror=...>" must show as those characters.
      var label = document.createElement("span");
      label.textContent = feature.properties.name;
      marker.bindTooltip(label);
      marker.bindPopup(link);
    },
  }).addTo(map);
  var bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: 12 });
});
