"""Review one resolved event: its sources and what each claimed, and the analyst's corrections
(a field, reject, merge, split, undo), each with who and an optional reason."""

import streamlit as st

from analytics.charts import labels
from analytics.model import EVENT_TYPES, STATUSES
from analytics.queries import corrections as queries
from analytics.store import Store
from analytics.store.corrections import FIELDS

store, filters, lang = (st.session_state[k] for k in ("store", "filters", "lang"))


def t(key: str, **values: object) -> str:
    return labels.text(key, lang, **values)


def correct(action: str, event_id: str | None = None, **details: object) -> None:
    """Store the correction (under the writer lock) and show the page again with it."""
    with Store.open(store.path) as writable:
        writable.correct(action, event_id, author=st.session_state.get("rv_who"),
                         reason=st.session_state.get("rv_reason"), **details)
    st.session_state["rv_flash"] = t("rv_done")
    st.rerun()


def actors_value(lines: str) -> list[dict]:
    out = []
    for line in filter(None, (x.strip() for x in lines.splitlines())):
        name, _, kind = (p.strip() for p in line.partition("|"))
        out.append({"name_ar": name, "name_en": None, "title": None,
                    "kind": kind if kind in ("person", "organization", "place") else "person"})
    return out


st.title(t("page_review"))
if flash := st.session_state.pop("rv_flash", None):
    st.success(flash)
events = queries.events_to_review(store, filters)
if events.empty:
    st.info(t("rv_none"))
    st.stop()
label = {r.id: f"{r.start_date.date() if r.start_date == r.start_date and r.start_date else '–'}"
               f" · {labels.event_type(r.type, lang)} · {r.name or r.venue_name_ar or ''}"
               f" · {t('n_sources_text', n=r.n_sources)}" for r in events.itertuples()}
event_id = st.selectbox(t("rv_pick"), list(label), format_func=label.get, key="rv_event")
event = queries.event(store, event_id).iloc[0]
st.dataframe(event.drop(["actor_names"]).astype(str).rename(lambda c: labels.column(c, lang)),
             width="stretch")
if len(event["conflicts"]):
    st.warning(f"{t('rv_conflicts')}: {', '.join(event['conflicts'])}")
if len(event["corrected_fields"]):
    st.info(f"{t('rv_corrected')}: {', '.join(event['corrected_fields'])}")

st.subheader(t("rv_sources"))
sources = queries.event_sources(store, event_id)
st.dataframe(sources.rename(columns=lambda c: labels.column(c, lang)), hide_index=True)

st.text_input(t("rv_who"), key="rv_who")
st.text_input(t("rv_reason"), key="rv_reason")

st.subheader(t("rv_correct"))
field = st.selectbox(t("rv_field"), FIELDS, key="rv_field", format_func=lambda f: labels.column(
    {"start": "start_date", "end": "end_date", "venue": "venue_name_ar"}.get(f, f), lang))
if field == "type":
    value = st.selectbox(t("rv_value"), EVENT_TYPES, format_func=lambda c: labels.event_type(
        c, lang), index=EVENT_TYPES.index(event["type"]))
elif field == "status":
    value = st.selectbox(t("rv_value"), STATUSES, format_func=lambda c: labels.status(c, lang))
elif field in ("start", "end"):
    day = st.date_input(t("rv_value"), value=None)
    value = day.isoformat() if day else None
elif field == "participants":
    value = int(st.number_input(t("rv_value"), min_value=0, step=1))
elif field == "actors":
    value = actors_value(st.text_area(t("rv_value"), "\n".join(event["actor_names"] or []),
                                      help=t("rv_actors_help")))
elif field == "themes":
    text = st.text_input(t("rv_value"), ", ".join(event["themes"]), help=t("rv_themes_help"))
    value = [x.strip() for x in text.split(",") if x.strip()]
else:  # name, venue
    text = st.text_input(t("rv_value"), key=f"rv_text_{field}").strip() or None
    value = ({"name_ar": text, "name_en": None, "country": None, "lat": None, "lon": None}
             if field == "venue" and text else text)
if st.button(t("rv_apply"), type="primary"):
    correct("set", event_id, field=field, value=value)

st.subheader(t("rv_structure"))
others = [e for e in label if e != event_id]
merge_with = st.selectbox(t("rv_merge_with"), others, format_func=label.get, index=None)
if st.button(t("rv_merge"), disabled=merge_with is None):
    correct("merge", event_id, other_event_id=merge_with)
moved = st.multiselect(t("rv_split_pick"), sources["article_event_id"].tolist(),
                       format_func=dict(zip(sources["article_event_id"], sources["article_id"],
                                            strict=True)).get)
if st.button(t("rv_split"), disabled=not moved):
    correct("split", event_id, moved=moved)
if st.button(t("rv_reject")):
    correct("reject", event_id)

st.subheader(t("rv_history"))
history = queries.corrections(store)
history = history[history["event_id"] == event_id]
st.dataframe(history.rename(columns=lambda c: labels.column(c, lang)), hide_index=True)
undoable = history[history["state"] == "in force"]["correction_id"].tolist()
if undoable and st.button(t("rv_undo")):
    correct("undo", undoes=undoable[0])
