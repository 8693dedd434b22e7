"""The timeline: `queries.timeline.timeline` frame -> plotly Figure.

Input: the frame (one row per event and group: id, type, theme, start_date, end_date, one_day,
names in both languages, n_sources), what to colour by (type or theme) and a language code.
Output: a Figure with one row per group (actor, venue or organization), a bar from the first to
the last day of each event that lasts several days and a diamond on the day of a one-day event;
one legend entry per colour. Every bar and diamond carries the event's id as `customdata`, so
that a click on it (Streamlit's plotly selection) names the event.

Arabic mode mirrors the figure (time runs right to left, the rows' names on the right, the title
at the right); plotly shapes Arabic text itself in the browser.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from analytics.charts import EVENT_COLORS, labels
from analytics.knowledge.themes import themes

COLOR_BY = ("type", "theme")
_DAY_MS = 24 * 3600 * 1000
# Themes are open-ended (a knowledge file), so their colours come from a long palette in the
# order the frame sorts them; types keep the fixed colours every chart uses.
_THEME_PALETTE = qualitative.Dark24


def timeline(df: pd.DataFrame, color_by: str = "type", lang: str = "en") -> go.Figure:
    """The timeline figure (see the module docstring)."""
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {COLOR_BY}, not {color_by!r}")
    fig = go.Figure()
    group = "group_ar" if lang == "ar" else "group_en"
    if not df.empty:
        # plotly reads labels as a subset of HTML (a name's <a href> would become a link).
        rows = df.assign(colour=df[color_by].fillna(""), hover=_hovers(df, lang),
                         **{group: df[group].map(html.escape)})
        order = list(dict.fromkeys(rows[group]))
        for n, value in enumerate(sorted(set(rows["colour"]), key=_colour_order(color_by))):
            _add_traces(fig, rows[rows["colour"] == value], group,
                        name=_colour_name(value, color_by, lang),
                        colour=_colour(value, color_by, n))
        # plotly draws the first category at the bottom; the busiest group goes on top.
        fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    fig.update_layout(title=labels.text("timeline_title", lang), barmode="overlay",
                      xaxis_title=labels.text("date_axis", lang),
                      height=max(360, 60 + 28 * df[group].nunique()) if not df.empty else 360,
                      margin={"t": 60, "l": 20, "r": 20, "b": 40}, clickmode="event+select")
    fig.update_xaxes(type="date")
    return finish(fig, df.empty, lang)


def clicked_event(selection: Mapping[str, Any] | None) -> str | None:
    """The event id a click on the figure chose, from Streamlit's plotly selection state
    (`{"points": [{"customdata": [id], ...}], ...}`); None when nothing was clicked. A box or
    lasso that takes several events picks the first."""
    points = (selection or {}).get("points") or []
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(data, Sequence) and not isinstance(data, str) and data \
                and isinstance(data[0], str):
            return data[0]
    return None


def finish(fig: go.Figure, empty: bool, lang: str) -> go.Figure:
    """What every figure of these pages ends with: a note when there is nothing to show, and
    in Arabic the mirrored layout (title and row names on the right, x running right to
    left)."""
    if empty:
        fig.add_annotation(text=labels.text("no_data", lang), showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=0.5)
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    if lang == "ar":
        fig.update_layout(title={"x": 1, "xanchor": "right"},
                          legend={"x": 0, "xanchor": "left"})
        fig.update_xaxes(autorange="reversed")
        fig.update_yaxes(side="right")
    return fig


def _add_traces(fig: go.Figure, rows: pd.DataFrame, group: str, *, name: str,
                colour: str) -> None:
    spans = rows[~rows["one_day"].astype(bool)]
    days = rows[rows["one_day"].astype(bool)]
    shown_in_legend = True
    if not spans.empty:
        starts = pd.to_datetime(spans["start_date"])
        # The bar covers the last day too: it ends at the end of `end_date`.
        lengths = (pd.to_datetime(spans["end_date"]) - starts).dt.days.add(1) * _DAY_MS
        fig.add_bar(x=lengths, base=starts.dt.strftime("%Y-%m-%d"), y=spans[group],
                    orientation="h", name=name, legendgroup=name, marker_color=colour,
                    customdata=spans[["id"]].to_numpy(), hovertext=spans["hover"],
                    hovertemplate="%{hovertext}<extra></extra>", opacity=0.85)
        shown_in_legend = False
    if not days.empty:
        fig.add_scatter(x=pd.to_datetime(days["start_date"]) + pd.Timedelta(hours=12),
                        y=days[group], mode="markers", name=name, legendgroup=name,
                        showlegend=shown_in_legend,
                        marker={"symbol": "diamond", "size": 11, "color": colour,
                                "line": {"width": 1, "color": "#333"}},
                        customdata=days[["id"]].to_numpy(), hovertext=days["hover"],
                        hovertemplate="%{hovertext}<extra></extra>")


def _hovers(df: pd.DataFrame, lang: str) -> list[str]:
    """The hover text of each row: the event's name (else its type), dates, venue, actors and
    number of sources. plotly renders hover text as HTML, so every value is escaped."""
    venue = "venue_ar" if lang == "ar" else "venue_en"
    actors = "actors_ar" if lang == "ar" else "actors_en"
    out = []
    for row in df.itertuples(index=False):
        name = row.name if isinstance(row.name, str) and row.name else \
            labels.event_type(row.type, lang)
        when = _day(row.start_date)
        if not row.one_day:
            when += f" – {_day(row.end_date)}"
        lines = [f"<b>{html.escape(name)}</b>", html.escape(when)]
        for key, value in ((venue, getattr(row, venue)), (actors, getattr(row, actors))):
            if isinstance(value, str) and value:
                label = labels.text("venue" if key.startswith("venue") else "actors", lang)
                lines.append(f"{html.escape(label)}: {html.escape(_short(value))}")
        lines.append(html.escape(labels.event_sources_note(
            row.n_sources, getattr(row, "conflicts", None),
            getattr(row, "corrected_fields", None), lang)))
        out.append("<br>".join(lines))
    return out


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _day(value: object) -> str:
    return pd.Timestamp(value).date().isoformat() if not pd.isna(value) else ""


def _colour_order(color_by: str):
    if color_by == "type":
        order = {code: n for n, code in enumerate(EVENT_COLORS)}
        return lambda value: (order.get(value, len(order)), value)
    return lambda value: (value == "", value)  # events without a theme last


def _colour_name(value: str, color_by: str, lang: str) -> str:
    if color_by == "type":
        return labels.event_type(value, lang)
    return theme_name(value, lang) if value else labels.text("no_theme", lang)


def theme_name(theme_id: str, lang: str) -> str:
    """A theme's label in `lang` from the taxonomy (themes.tsv); its id when unknown."""
    theme = themes().get(theme_id)
    if theme is None:
        return theme_id
    return theme.label_ar if lang == "ar" else theme.label_en


def _colour(value: str, color_by: str, n: int) -> str:
    if color_by == "type":
        return EVENT_COLORS.get(value, "#888888")
    return "#aaaaaa" if not value else _THEME_PALETTE[n % len(_THEME_PALETTE)]


def as_day(value: object) -> dt.date | None:
    """A day from a DATE cell (Timestamp, date or missing)."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()
