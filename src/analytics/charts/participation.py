"""Participation charts: `queries.participation` frames -> plotly Figures.

Input: the frames of `analytics.queries.participation` and a language code. Output: horizontal
bar charts (events per actor, participants per event, delegations per country) and heat maps
(actor x theme, organization x organization). Names follow the language: `name_en` (falling
back to the Arabic name) in English, `name_ar` in Arabic. Hover texts are escaped (plotly renders
them as HTML). Arabic mode mirrors each figure (`charts.timeline.finish`).
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from analytics.charts import EVENT_COLORS, labels
from analytics.charts.timeline import finish, theme_name

_BAR_COLOUR = "#4477aa"
_HEAT_SCALE = "Blues"


def _name(row_ar: object, row_en: object, lang: str) -> str:
    if lang == "ar" or not isinstance(row_en, str) or not row_en:
        return str(row_ar)
    return row_en


def _bars(names: list[str], values: list[int], title: str, axis: str, lang: str, *,
          colours: list[str] | str = _BAR_COLOUR, hover: list[str] | None = None) -> go.Figure:
    """Horizontal bars, the first row at the top. plotly reads labels as a subset of HTML (it
    would draw a name's `<a href>` as a link): names are escaped."""
    fig = go.Figure(go.Bar(
        x=values[::-1], y=[html.escape(n) for n in names[::-1]], orientation="h",
        marker_color=colours[::-1] if isinstance(colours, list) else colours,
        hovertext=hover[::-1] if hover else None,
        hovertemplate="%{hovertext}<extra></extra>" if hover else None))
    fig.update_layout(title=title, showlegend=False, xaxis_title=axis,
                      height=max(320, 80 + 26 * len(names)),
                      margin={"t": 60, "l": 20, "r": 20, "b": 40})
    fig.update_yaxes(automargin=True)
    return finish(fig, not names, lang)


def events_per_actor(df: pd.DataFrame, kind: str, lang: str = "en") -> go.Figure:
    """Bars of `queries.participation.events_per_actor` (name_ar, name_en, events) for actors
    of `kind` (person or organization)."""
    names = [_name(a, e, lang) for a, e in zip(df["name_ar"], df["name_en"], strict=True)]
    return _bars(names, list(df["events"]), labels.text(f"top_{kind}s", lang),
                 labels.text("events", lang), lang)


def actor_themes(df: pd.DataFrame, lang: str = "en") -> go.Figure:
    """A heat map of events per actor (rows, busiest at the top) and theme (columns), from
    `queries.participation.actor_themes`."""
    if df.empty:
        return _heatmap(None, "actor_themes", "", lang)
    rows = df.assign(actor=[_name(a, e, lang) for a, e in
                            zip(df["name_ar"], df["name_en"], strict=True)],
                     theme_name=[theme_name(t, lang) for t in df["theme"]])
    actors = list(dict.fromkeys(rows["actor"]))
    grid = (rows.pivot_table(index="actor", columns="theme_name", values="events",
                             aggfunc="sum", fill_value=0)
            .reindex(index=actors[::-1], columns=sorted(set(rows["theme_name"])), fill_value=0))
    return _heatmap(grid, "actor_themes", "%{y} · %{x}: %{z}", lang)


def participants_per_event(df: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Bars of the number of named participants per event (from
    `queries.participation.participants_per_event`), coloured by type; the hover adds the
    venue and the number of participants the text states, if any."""
    venue = "venue_ar" if lang == "ar" else "venue_en"
    names, hover = [], []
    for row in df.itertuples(index=False):
        name = row.name if isinstance(row.name, str) and row.name else \
            labels.event_type(row.type, lang)
        day = "" if pd.isna(row.start_date) else pd.Timestamp(row.start_date).date().isoformat()
        label = f"{day} · {name}" if day else name
        signs = labels.event_signs(getattr(row, "conflicts", None),
                                   getattr(row, "corrected_fields", None))
        names.append(_clip(label) + (f" {signs}" if signs else ""))
        lines = [f"<b>{html.escape(label)}</b>",
                 html.escape(labels.text("named_actors", lang, n=int(row.actors)))]
        where = getattr(row, venue)
        if isinstance(where, str) and where:
            lines.append(html.escape(f"{labels.text('venue', lang)}: {where}"))
        if not pd.isna(row.participants):
            lines.append(html.escape(labels.text("stated_participants", lang,
                                                 n=int(row.participants))))
        if hasattr(row, "n_sources"):
            lines.append(html.escape(labels.event_sources_note(
                row.n_sources, row.conflicts, row.corrected_fields, lang)))
        hover.append("<br>".join(lines))
    # Two events can share a label (same name, same day): plotly would merge their bars.
    names = _unique(names)
    colours = [EVENT_COLORS.get(t, _BAR_COLOUR) for t in df["type"]]
    return _bars(names, list(df["actors"]), labels.text("participants_per_event", lang),
                 labels.text("named_actors_axis", lang), lang, colours=colours, hover=hover)


def co_participation(df: pd.DataFrame, lang: str = "en") -> go.Figure:
    """A symmetric heat map of the events two organizations take part in together, from
    `queries.participation.co_participation`; the diagonal (an organization with itself) is
    left blank so that it does not drown the pairs."""
    if df.empty:
        return _heatmap(None, "co_participation", "", lang)
    a = [_name(x, y, lang) for x, y in zip(df["a_ar"], df["a_en"], strict=True)]
    b = [_name(x, y, lang) for x, y in zip(df["b_ar"], df["b_en"], strict=True)]
    rows = pd.DataFrame({"a": a, "b": b, "events": df["events"]})
    own = rows[rows["a"] == rows["b"]].sort_values("events", ascending=False)
    order = list(dict.fromkeys([*own["a"], *rows["a"]]))
    grid = (rows[rows["a"] != rows["b"]]
            .pivot_table(index="a", columns="b", values="events", aggfunc="sum")
            .reindex(index=order[::-1], columns=order))
    return _heatmap(grid, "co_participation", "%{y} + %{x}: %{z}", lang)


def _heatmap(grid: pd.DataFrame | None, title: str, hover: str, lang: str) -> go.Figure:
    """A heat map of `grid` (rows drawn bottom to top, as plotly does; missing cells blank, no
    hover); None: an empty figure that says so. Labels are escaped (plotly reads them as
    HTML)."""
    fig = go.Figure()
    if grid is not None:
        fig.add_heatmap(z=grid.to_numpy(), x=[html.escape(c) for c in grid.columns],
                        y=[html.escape(i) for i in grid.index], colorscale=_HEAT_SCALE,
                        hoverongaps=False, hovertemplate=f"{hover}<extra></extra>",
                        colorbar={"title": labels.text("events", lang)}
                        # In Arabic the row names stand on the right: the bar goes left.
                        | ({"x": -0.02, "xanchor": "right"} if lang == "ar" else {}))
        fig.update_layout(height=max(360, 160 + 26 * len(grid.index)))
    fig.update_layout(title=labels.text(title, lang),
                      margin={"t": 60, "l": 20, "r": 20, "b": 40})
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return finish(fig, grid is None, lang)


def delegations(df: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Bars of the events each country takes part in, from
    `queries.participation.delegations_per_country`."""
    names = [_name(a, e, lang) for a, e in zip(df["name_ar"], df["name_en"], strict=True)]
    return _bars(names, list(df["events"]), labels.text("delegations", lang),
                 labels.text("events", lang), lang)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} [{seen[name]}]")
    return out
