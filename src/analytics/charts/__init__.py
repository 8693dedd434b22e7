"""Charts: DataFrames from `analytics.queries` -> plotly Figures.

Pure builders: each takes the frame a query returned and a language code and returns a Figure;
none reads the store or knows about streamlit, so each is tested with a three-row frame.
plotly is not aware of right-to-left layout: in Arabic the builders mirror the figure by hand
(title and value axis on the right, the category or time axis running right to left).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from analytics.charts import labels
from analytics.model import EVENT_TYPES

# One colour per event type, the same in every chart and under every filter. plotly's "Safe"
# palette (colour-blind safe) has exactly one colour per type.
EVENT_COLORS = dict(zip(EVENT_TYPES, qualitative.Safe, strict=True))


def events_by_month(df: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Stacked bars of events per month, one colour per type, from `queries.events_by_month`
    (columns month, type, events)."""
    fig = go.Figure()
    for code in _types_in(df):
        rows = df[df["type"] == code]
        fig.add_bar(x=rows["month"], y=rows["events"], name=labels.event_type(code, lang),
                    marker_color=EVENT_COLORS.get(code))
    fig.update_layout(barmode="stack", title=labels.text("by_month", lang),
                      xaxis_title=labels.text("month", lang),
                      yaxis_title=labels.text("events", lang))
    fig.update_xaxes(type="date", tickformat="%Y-%m", dtick="M1")
    return _finish(fig, df, lang)


def events_by_type(df: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Horizontal bars of events per type, from `queries.events_by_type` (columns type,
    events), most frequent at the top."""
    rows = df.iloc[::-1]  # plotly draws the first category at the bottom
    fig = go.Figure(go.Bar(
        x=rows["events"], y=[labels.event_type(c, lang) for c in rows["type"]], orientation="h",
        marker_color=[EVENT_COLORS.get(c) for c in rows["type"]]))
    fig.update_layout(title=labels.text("by_type", lang), showlegend=False,
                      xaxis_title=labels.text("events", lang))
    return _finish(fig, df, lang)


def _types_in(df: pd.DataFrame) -> list[str]:
    """The frame's event types in the fixed order of EVENT_TYPES (unknown codes last)."""
    present = set(df["type"]) if not df.empty else set()
    return [t for t in EVENT_TYPES if t in present] + sorted(present - set(EVENT_TYPES))


def _finish(fig: go.Figure, df: pd.DataFrame, lang: str) -> go.Figure:
    fig.update_layout(margin={"t": 60, "l": 20, "r": 20, "b": 40})
    if df.empty:
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
