"""Analysts' corrections, applied on top of the machine's resolved events: pure functions.

Input: the machine's clusters (cluster id -> the article events in it), each cluster's merged
fields (`analytics.resolve.merge`) and the `corrections` rows in the order they were made.
Output: the final groups of article events (after merges and splits), each group's fields with
the corrections applied, the names of the corrected fields, and whether it was rejected.

Why corrections point at article events (`members`), not only at the resolved event's id: an
article event's id is stable (article, type, trigger offsets), so a correction keeps finding
its event after re-extraction, a re-ingest, or a rebuild in which clusters form in another
order. It applies to the group holding most of its members; when none is left (the article
changed there) it applies to nothing and the audit page lists it for review.

Actions: `set` (one field: type, name, start, end, status, venue, actors, themes,
participants; `value` is its JSON), `reject` (a false event: left out of `events`), `merge`
(`other_members`' event joins this one), `split` (`other_members` leave this event and form
their own), `undo` (`undoes` names the correction taken back; an undo can be undone too).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from analytics.errors import StoreError
from analytics.model import EVENT_TYPES, STATUSES

FIELDS = ("type", "name", "start", "end", "status", "venue", "actors", "themes",
          "participants")
ACTIONS = ("set", "reject", "merge", "split", "undo")


@dataclass(frozen=True)
class Correction:
    id: str
    made_at: dt.datetime
    author: str | None
    reason: str | None
    action: str
    event_id: str | None                   # the resolved event as the analyst saw it
    members: tuple[str, ...] = ()          # its article events then
    field: str | None = None
    value: Any = None                      # decoded JSON
    previous: Any = None                   # the value before, as shown to the analyst
    other_members: tuple[str, ...] = ()
    undoes: str | None = None


def correction_id(made_at: dt.datetime, author: str | None, action: str, event_id: str | None,
                  field: str | None, value: Any, salt: str = "") -> str:
    key = json.dumps([made_at.isoformat(), author, action, event_id, field, value, salt],
                     ensure_ascii=False, default=str)
    return "cor-" + hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def split_group_id(correction: Correction) -> str:
    """The id of the event a split makes: stable, derived from the correction."""
    return "ev-" + hashlib.blake2b(correction.id.encode(), digest_size=8).hexdigest()


def check(correction: Correction) -> None:
    """Refuse a correction that could never apply, naming what is wrong."""
    c = correction
    if c.action not in ACTIONS:
        raise StoreError(f"correction {c.id}: unknown action {c.action!r}; one of {ACTIONS}")
    if c.action == "undo":
        if not c.undoes:
            raise StoreError(f"correction {c.id}: an undo must name the correction it undoes")
        return
    if not c.members:
        raise StoreError(f"correction {c.id}: event {c.event_id!r} has no sources in the "
                         f"store; reload the page and try again")
    if c.action in ("merge", "split") and not c.other_members:
        raise StoreError(f"correction {c.id}: a {c.action} needs the other event's sources")
    if c.action == "set":
        if c.field not in FIELDS:
            raise StoreError(f"correction {c.id}: field {c.field!r} cannot be corrected; one "
                             f"of {FIELDS}")
        v = c.value
        if c.field == "type" and v not in EVENT_TYPES:
            raise StoreError(f"correction {c.id}: type {v!r} is not one of {EVENT_TYPES}")
        if c.field == "status" and v is not None and v not in STATUSES:
            raise StoreError(f"correction {c.id}: status {v!r} is not one of {STATUSES}")
        if c.field in ("start", "end") and v is not None:
            try:
                dt.date.fromisoformat(v)
            except (TypeError, ValueError):
                raise StoreError(f"correction {c.id}: {c.field} {v!r} is not an ISO date "
                                 f"(YYYY-MM-DD)") from None
        if c.field == "participants" and v is not None and (not isinstance(v, int) or v < 0):
            raise StoreError(f"correction {c.id}: participants must be a whole number >= 0")
        if c.field == "venue" and v is not None and not (isinstance(v, dict) and v.get("name_ar")):
            raise StoreError(f"correction {c.id}: a venue needs at least name_ar")
        if c.field in ("actors", "themes") and not isinstance(v, list):
            raise StoreError(f"correction {c.id}: {c.field} must be a list")


def in_force(corrections: Iterable[Correction]) -> list[Correction]:
    """The corrections not undone, in the order they were made. An undo of an undo restores."""
    ordered = sorted(corrections, key=lambda c: (c.made_at, c.id))
    undone: set[str] = set()
    for c in reversed(ordered):  # the latest undo decides; an undone undo takes nothing back
        if c.action == "undo" and c.id not in undone and c.undoes:
            undone.add(c.undoes)
    return [c for c in ordered if c.action != "undo" and c.id not in undone]


def _holder(groups: dict[str, list[str]], where: dict[str, str],
            members: Sequence[str]) -> str | None:
    """The group holding most of `members` (the earliest such group on a tie)."""
    counts: dict[str, int] = {}
    for m in members:
        g = where.get(m)
        if g is not None:
            counts[g] = counts.get(g, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda g: (counts[g], -list(groups).index(g)))


def regroup(clusters: dict[str, list[str]], corrections: Sequence[Correction]
            ) -> tuple[dict[str, list[str]], set[str]]:
    """Groups of article events after the merges and splits in force (in the order made), and
    the ids of the merges/splits that found nothing to act on."""
    groups = {cid: list(ms) for cid, ms in clusters.items()}
    where = {m: cid for cid, ms in groups.items() for m in ms}
    idle: set[str] = set()
    for c in corrections:
        if c.action == "merge":
            target = _holder(groups, where, c.members)
            other = _holder(groups, where, c.other_members)
            if target is None or other is None or target == other:
                idle.add(c.id)
                continue
            for m in groups.pop(other):
                groups[target].append(m)
                where[m] = target
        elif c.action == "split":
            moved = [m for m in c.other_members if m in where]
            if not moved:
                idle.add(c.id)
                continue
            new = split_group_id(c)
            for m in moved:
                groups[where[m]].remove(m)
            groups = {g: ms for g, ms in groups.items() if ms}
            groups[new] = moved
            for m in moved:
                where[m] = new
    return groups, idle


def apply_edits(group_id: str, members: Sequence[str], fields: dict[str, Any],
                corrections: Sequence[Correction], groups: dict[str, list[str]],
                where: dict[str, str]) -> tuple[dict[str, Any], list[str], bool]:
    """`fields` with the set/reject corrections that land on this group applied (the later
    correction of a field wins); returns (fields, corrected field names, rejected)."""
    out = dict(fields)
    corrected: list[str] = []
    rejected = False
    for c in corrections:
        if c.action not in ("set", "reject"):
            continue
        if _holder(groups, where, c.members) != group_id:
            continue
        if c.action == "reject":
            rejected = True
            continue
        out[c.field] = c.value
        if c.field not in corrected:
            corrected.append(c.field)
    return out, corrected, rejected


def structural_links(corrections: Sequence[Correction]) -> list[tuple[str, ...]]:
    """For each merge or split, every article event it names: clusters holding any of them
    must be refreshed together."""
    return [tuple(c.members) + tuple(c.other_members) for c in corrections
            if c.action in ("merge", "split")]
