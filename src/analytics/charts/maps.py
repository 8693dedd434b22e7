"""The venue map: DataFrames from `analytics.queries.places` -> a folium Map that works offline.

Input: `venues` and `places_about` frames, a language code, what marker size stands for, and
whether to add a tile layer. Output: a `folium.Map` with venues as clustered circle markers
(popups list the events held there), a separate layer of the places events are about, country
outlines drawn from the app's own static files, and a layer control. Pure: no store, no
streamlit, no file is opened (the browser fetches the outlines).

Offline by construction: every script and stylesheet the map needs is served by Streamlit from
`static/` (`/app/static/...`; absolute, because the map's iframe lives under `/component/...`),
replacing folium's CDN lists on the map and cluster objects themselves (never on their classes,
which other maps share). Data reaches the map's HTML escaped, and also with the characters that
mean something inside the JavaScript template literals folium wraps popups and tooltips in.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping

import folium
import pandas as pd
from branca.element import CssLink, Element, JavascriptLink
from folium.elements import ElementAddToElement, JSCSSMixin
from folium.map import Layer
from folium.template import Template

from analytics.charts import labels

STATIC = "/app/static"
MAP_JS = [
    ("leaflet", f"{STATIC}/vendor/leaflet/leaflet.js"),
    ("leaflet_image_path", f"{STATIC}/map/leaflet-image-path.js"),
    ("jquery", f"{STATIC}/vendor/jquery/jquery.min.js"),
]
MAP_CSS = [("leaflet_css", f"{STATIC}/vendor/leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", f"{STATIC}/vendor/leaflet.markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", f"{STATIC}/vendor/leaflet.markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss",
     f"{STATIC}/vendor/leaflet.markercluster/MarkerCluster.Default.css"),
]
COUNTRIES_URL = f"{STATIC}/basemap/countries-110m.geojson"
OSM_TILES = "OpenStreetMap"

VENUE_COLOR = "#1f6f8b"
ABOUT_COLOR = "#c0392b"
MIN_RADIUS, MAX_RADIUS = 6.0, 28.0
SIZE_BY = ("events", "participants")


def escape(text: object) -> str:
    """`text` safe inside HTML and inside the JavaScript template literals (`...`) that folium
    puts popups and tooltips in: html.escape, plus the backtick, `$` (`${...}` would run) and
    the backslash."""
    return (html.escape(str(text)).replace("\\", "&#92;").replace("`", "&#96;")
            .replace("$", "&#36;").replace("{", "&#123;").replace("}", "&#125;"))


def place_name(name_ar: object, name_en: object, lang: str) -> str:
    """A place's name in the interface's language: the English name falling back to the
    Arabic one in English, the Arabic name in Arabic."""
    if lang == "en" and isinstance(name_en, str) and name_en:
        return name_en
    return name_ar if isinstance(name_ar, str) else ""


def radius(value: float, largest: float) -> float:
    """Marker radius in pixels: area proportional to `value`, the largest at MAX_RADIUS."""
    if largest <= 0 or not value or value <= 0:
        return MIN_RADIUS
    return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(value / largest)


def _event_line(event: Mapping, lang: str) -> str:
    title = event.get("name") or labels.event_type(event.get("type") or "", lang)
    start, end = event.get("start_date"), event.get("end_date")
    when = ""
    if start is not None and not pd.isna(start):
        when = str(start) if end is None or pd.isna(end) or end == start else f"{start} – {end}"
    status = labels.status(event["status"], lang) if event.get("status") else ""
    sources = labels.event_sources_note(event.get("n_sources"), event.get("conflicts"),
                                        event.get("corrected_fields"), lang)
    details = " · ".join(d for d in (when, status, sources) if d)
    line = f"<b>{escape(title)}</b>"
    return f"<li>{line}<br><small>{escape(details)}</small></li>" if details else f"<li>{line}</li>"


def popup_html(name: str, events: int, latest: Iterable[Mapping], lang: str, *,
               participants: int | None = None, kind: str = "venue") -> str:
    """A place's popup: its name, its number of events (and participants), the latest events
    (escaped), and how many more there are. Right-to-left in Arabic: page CSS does not reach
    the map's iframe."""
    latest = list(latest if latest is not None else [])
    direction = "rtl" if lang == "ar" else "ltr"
    heading = labels.text("map_held_here" if kind == "venue" else "map_about_here", lang,
                          n=events)
    lines = "".join(_event_line(e, lang) for e in latest)
    more = events - len(latest)
    parts = [f'<div dir="{direction}" style="text-align:start;min-width:180px">',
             f"<h4 style=\"margin:0 0 4px\">{escape(name)}</h4>",
             f"<div>{escape(heading)}</div>"]
    if participants:
        parts.append(f"<div>{escape(labels.text('map_participants', lang, n=participants))}"
                     "</div>")
    parts.append(f'<ul style="margin:4px 0;padding-inline-start:18px">{lines}</ul>')
    if more > 0:
        parts.append(f"<small>{escape(labels.text('map_more', lang, n=more))}</small>")
    parts.append("</div>")
    return "".join(parts)


class CountryOutlines(Layer):
    """Country outlines fetched by the browser from the app's static files, in a pane under the
    markers (the fetch ends after the markers are drawn; in the same pane the outlines would
    cover them). Not clickable: a click on the map goes to the markers."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            if (!{{ this._parent.get_name() }}.getPane("countries")) {
                {{ this._parent.get_name() }}.createPane("countries");
                {{ this._parent.get_name() }}.getPane("countries").style.zIndex = 250;
            }
            var {{ this.get_name() }} = L.geoJSON(null, {
                pane: "countries", interactive: false, style: {{ this.style|tojson }}
            });
            fetch({{ this.url|tojson }})
                .then(function (response) { return response.json(); })
                .then(function (data) { {{ this.get_name() }}.addData(data); });
        {% endmacro %}
        """)

    def __init__(self, url: str = COUNTRIES_URL, name: str | None = None, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "CountryOutlines"
        self.url = url
        self.style = {"color": "#8a8f98", "weight": 0.7, "fillColor": "#f4f1ea",
                      "fillOpacity": 1.0}


def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element, with Arabic kept as UTF-8 (folium's
    `tojson` writes every Arabic letter as a six-character escape): <, > and & can neither
    close the script nor open a comment, and U+2028/U+2029 cannot end a line of it."""
    return (json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("{{", "{\\u007b").replace("{%", "{\\u0025").replace("{#", "{\\u0023")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class _RawScript(Element):
    """Script text put into the page as it is. branca wraps each element's rendered script in
    an Element, whose text is parsed again as a Jinja template: slow for a large data list, and
    a `{{ ... }}` in the data would be run (server-side template injection)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: object) -> str:
        return self.text


class CircleLayer(JSCSSMixin, Layer):
    """Circle markers drawn in the browser from one JSON list (lat, lon, radius, popup HTML,
    tooltip HTML), optionally in a marker cluster group: one template for thousands of
    places, where a folium element per marker costs milliseconds each. The popup and tooltip
    HTML must be escaped already; `tojson` keeps the list inert inside the script."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = {% if this.cluster %}L.markerClusterGroup(
                {{ this.options|tojavascript }}){% else %}L.featureGroup(){% endif %};
            (function (group, points, style) {
                var markers = points.map(function (p) {
                    var marker = L.circleMarker([p.lat, p.lon],
                                                Object.assign({radius: p.radius}, style));
                    marker.bindPopup(p.popup, {maxWidth: 320});
                    marker.bindTooltip(p.tooltip, {sticky: true});
                    return marker;
                });
                {% if this.cluster %}group.addLayers(markers);
                {% else %}markers.forEach(function (m) { group.addLayer(m); });{% endif %}
            })({{ this.get_name() }}, {{ this.points_json }}, {{ this.style|tojson }});
        {% endmacro %}
        """)

    def __init__(self, points: list[dict], style: dict, name: str, cluster: bool,
                 **options: object):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "CircleLayer"
        self.points_json = script_json(points)
        self.style, self.cluster, self.options = style, cluster, options
        self.default_js = list(CLUSTER_JS) if cluster else []
        self.default_css = list(CLUSTER_CSS) if cluster else []

    def render(self, **kwargs: object) -> None:
        # What JSCSSMixin, Layer and MacroElement do, with the script added as raw text.
        if self.show:
            self.add_child(ElementAddToElement(element_name=self.get_name(),
                                               element_parent_name=self._parent.get_name()),
                           name=self.get_name() + "_add")
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        figure.script.add_child(_RawScript(self._template.module.script(self, kwargs)),
                                name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


def venue_map(venues: pd.DataFrame, about: pd.DataFrame, lang: str = "en", *,
              size_by: str = "events", tiles: str | None = None) -> folium.Map:
    """The map of `queries.places.venues` (clustered circle markers, area by `size_by`:
    "events" or "participants") and `queries.places.places_about` (a layer of its own, drawn
    as hollow red rings), over country outlines; with `tiles="osm"` an OpenStreetMap layer too
    (it needs the internet)."""
    if size_by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {SIZE_BY}, not {size_by!r}")
    fmap = folium.Map(location=[25.0, 30.0], zoom_start=2, tiles=None, control_scale=True,
                      prefer_canvas=False)
    # Without a tile layer Leaflet knows no zoom limits, and marker clusters need them.
    fmap.options.update(min_zoom=1, max_zoom=12, world_copy_jump=True)
    fmap.default_js, fmap.default_css = list(MAP_JS), list(MAP_CSS)
    if tiles == "osm":
        folium.TileLayer(OSM_TILES, name="OpenStreetMap", max_zoom=12).add_to(fmap)
    CountryOutlines(name=labels.text("map_countries", lang), show=tiles != "osm").add_to(fmap)

    largest = float(venues[size_by].max()) if len(venues) else 0.0
    venue_points = []
    for row in venues.itertuples(index=False):
        name = place_name(row.venue_name_ar, row.venue_name_en, lang)
        venue_points.append({
            "lat": float(row.lat), "lon": float(row.lon),
            "radius": round(radius(float(getattr(row, size_by)), largest), 1),
            "popup": popup_html(name, int(row.events), row.latest, lang,
                                participants=int(row.participants), kind="venue"),
            "tooltip": escape(tooltip_text(name, int(row.events)))})
    # Without animation: clusters of circle markers (SVG paths, which CSS transitions do not
    # move) otherwise leave a stale cluster icon behind after the first zoom.
    CircleLayer(venue_points, {"color": VENUE_COLOR, "weight": 1, "fillColor": VENUE_COLOR,
                               "fillOpacity": 0.6, "className": "venue-marker"},
                name=labels.text("map_venues", lang), cluster=True, animate=False,
                chunked_loading=True).add_to(fmap)

    about_points = []
    for row in about.itertuples(index=False):
        name = place_name(row.name_ar, row.name_en, lang)
        about_points.append({
            "lat": float(row.lat), "lon": float(row.lon), "radius": 10,
            "popup": popup_html(name, int(row.events), row.latest, lang, kind="about"),
            "tooltip": escape(tooltip_text(name, int(row.events)))})
    CircleLayer(about_points, {"color": ABOUT_COLOR, "weight": 3, "dashArray": "4 3",
                               "fill": False, "className": "about-marker"},
                name=labels.text("map_about", lang), cluster=False).add_to(fmap)

    # Bottom right: at the top right it would cover the popups of venues in the north-east.
    folium.LayerControl(collapsed=False, position="bottomright").add_to(fmap)
    points = [[float(r.lat), float(r.lon)] for r in venues.itertuples(index=False)]
    points += [[float(r.lat), float(r.lon)] for r in about.itertuples(index=False)]
    if len(points) > 1:
        fmap.fit_bounds(points, padding=(30, 30), max_zoom=6)
    elif points:
        fmap.location = points[0]
        fmap.options["zoom"] = 5
    return fmap


def tooltip_text(name: str, events: int) -> str:
    """A marker's tooltip (before escaping): the place's name and its number of events. A
    click returns it, which tells which marker was clicked."""
    return f"{name} ({events})"


def venue_at(venues: pd.DataFrame, lat: float | None, lon: float | None, lang: str = "en",
             tooltip: str | None = None, max_degrees: float = 10.0) -> str | None:
    """The Arabic name of the venue a click on the map hit, or None (a click on a place events
    are about, or beside every venue).

    Leaflet reports where the pointer was, not the centre of a large circle marker: the venue
    is the one whose tooltip the click returned, the nearest such when names repeat (without
    a tooltip, the nearest venue within `max_degrees`)."""
    if lat is None or lon is None or not len(venues):
        return None
    candidates = venues
    if tooltip is not None:
        tips = [tooltip_text(place_name(ar, en, lang), int(n)) for ar, en, n in
                zip(venues["venue_name_ar"], venues["venue_name_en"], venues["events"],
                    strict=True)]
        candidates = venues[[tip == tooltip.strip() for tip in tips]]
    if not len(candidates):
        return None
    distance = ((candidates["lat"] - lat) ** 2 + (candidates["lon"] - lon) ** 2) ** 0.5
    nearest = distance.idxmin()
    if tooltip is None and distance[nearest] > max_degrees:
        return None
    return str(candidates.loc[nearest, "venue_name_ar"])
