"""Rebuild static/vendor/ and static/basemap/ from the npm registry (run by hand, at set-up time
only; the files it writes are committed so that a fresh clone works offline).

Input: the package versions in PACKAGES, fetched from https://registry.npmjs.org and checked
against the registry's sha512 integrity. Output: the files the venue map loads through
Streamlit's static serving (`/app/static/...`), and `basemap/countries-110m.geojson`, the
country outlines of world-atlas converted from TopoJSON to GeoJSON with coordinates rounded to
0.01 degree (about 1 km: enough for a world map, and a tenth of the size).

    .venv/bin/python static/fetch_assets.py
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REGISTRY = "https://registry.npmjs.org"

# package, version, {file in the package: path under static/}
PACKAGES = [
    ("leaflet", "1.9.3", {
        "dist/leaflet.js": "vendor/leaflet/leaflet.js",
        "dist/leaflet.css": "vendor/leaflet/leaflet.css",
        "dist/images/layers.png": "vendor/leaflet/images/layers.png",
        "dist/images/layers-2x.png": "vendor/leaflet/images/layers-2x.png",
        "dist/images/marker-icon.png": "vendor/leaflet/images/marker-icon.png",
        "dist/images/marker-icon-2x.png": "vendor/leaflet/images/marker-icon-2x.png",
        "dist/images/marker-shadow.png": "vendor/leaflet/images/marker-shadow.png",
        "LICENSE": "vendor/leaflet/LICENSE",
    }),
    ("leaflet.markercluster", "1.5.3", {
        "dist/leaflet.markercluster.js": "vendor/leaflet.markercluster/leaflet.markercluster.js",
        "dist/MarkerCluster.css": "vendor/leaflet.markercluster/MarkerCluster.css",
        "dist/MarkerCluster.Default.css":
            "vendor/leaflet.markercluster/MarkerCluster.Default.css",
        "MIT-LICENCE.txt": "vendor/leaflet.markercluster/LICENSE",
    }),
    ("jquery", "3.7.1", {
        "dist/jquery.min.js": "vendor/jquery/jquery.min.js",
        "LICENSE.txt": "vendor/jquery/LICENSE",
    }),
    ("world-atlas", "2.0.2", {
        "countries-110m.json": None,  # converted below, not copied
        "LICENSE": "basemap/LICENSE",
    }),
]


def fetch(name: str, version: str) -> tarfile.TarFile:
    with urllib.request.urlopen(f"{REGISTRY}/{name}/{version}", timeout=60) as response:
        dist = json.load(response)["dist"]
    with urllib.request.urlopen(dist["tarball"], timeout=300) as response:
        data = response.read()
    algorithm, _, expected = dist["integrity"].partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        sys.exit(f"{name}@{version}: the tarball does not match the registry's {algorithm}; "
                 f"try again")
    return tarfile.open(fileobj=io.BytesIO(data))


def unwrapped(points: list[list[float]]) -> list[list[float]]:
    """A ring whose longitudes never jump by more than 180 degrees between neighbours (Russia
    and Fiji cross the antimeridian): on a flat map such a jump draws a line across the world,
    while a longitude past 180 is simply drawn beyond the edge."""
    out: list[list[float]] = []
    shift = 0.0
    for lon, lat in points:
        if out:
            previous = out[-1][0] - shift
            if lon - previous > 180:
                shift -= 360
            elif previous - lon > 180:
                shift += 360
        out.append([round(lon + shift, 2), lat])
    return out


def topology_to_geojson(topology: dict, name: str, digits: int = 2) -> dict:
    """One object of a TopoJSON topology as a GeoJSON FeatureCollection (quantized arcs are
    delta-decoded and transformed; each ring is the concatenation of its arcs, a negative arc
    index meaning the arc reversed)."""
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([round(x * scale[0] + translate[0], digits),
                           round(y * scale[1] + translate[1], digits)])
        arcs.append(points)

    def ring(indexes: list[int]) -> list[list[float]]:
        points: list[list[float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return unwrapped(points)

    features = []
    for geometry in topology["objects"][name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            coordinates = [ring(r) for r in geometry["arcs"]]
        elif kind == "MultiPolygon":
            coordinates = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        features.append({"type": "Feature", "id": geometry.get("id"),
                         "properties": {"name": geometry.get("properties", {}).get("name")},
                         "geometry": {"type": kind, "coordinates": coordinates}})
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    for name, version, files in PACKAGES:
        with fetch(name, version) as tar:
            for member, target in files.items():
                data = tar.extractfile(f"package/{member}").read()
                if target is None:
                    geojson = topology_to_geojson(json.loads(data), "countries")
                    out = HERE / "basemap" / "countries-110m.geojson"
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_text(json.dumps(geojson, separators=(",", ":")) + "\n")
                    print(f"{out.relative_to(HERE)}: {len(geojson['features'])} countries")
                    continue
                out = HERE / target
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(data)
                print(f"{out.relative_to(HERE)} <- {name}@{version}/{member}")


if __name__ == "__main__":
    if "--clean" in sys.argv:
        shutil.rmtree(HERE / "vendor", ignore_errors=True)
    main()
