"""Deciding whether an article's event is one already known: scoring and candidate blocking.

Input: `EventKey` values, one at a time (the store feeds each ingested article's events).
Output: the cluster each key joins, an existing one or a new one named after the key.

Blocking: clusters are indexed by (type family, day) for the days they cover, so a key is only
compared with clusters of a compatible type within a few days of it; the work per key depends
on how many events fall on those days, not on the size of the store.

Scoring (why each weight): a report and an announcement of one event agree on the day (+2, or
+1 a day apart, 0 two days apart; see MAX_GAP and NAMED_GAP), on the venue (+2), on a proper
name of three words or more (+3; shorter names such as "الدورة السابعة" are shared by unrelated
events, +1) and on who takes part (+1 per shared person or organization, at most 3). Venues
both given and different count against (-1 in the same country, where outlets differ on the
city, -2 otherwise), and so do two gathering types that differ (-1, except the names of a
summit: SUMMIT_NAMES). A key joins the best
cluster scoring at least `THRESHOLD`, and only with some evidence of identity beyond time and
place (a shared name or actor, or one side naming no actor at all): two different meetings in
one capital on one day stay apart. Two events of one article never join: the extractor already
told them apart.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from analytics.resolve.keys import UNDATED_SPREAD, EventKey

THRESHOLD = 4
LONG_NAME_WORDS = 3
# Days two dated reports may differ by: a day's shift is common ("yesterday", time zones), two
# days happen when an announcement dates the opening and a report the main day. A proper name
# of three words or more ("الدورة الثالثة عشرة لمؤتمر القمة الإسلامي") is not reused within a
# week, so with one the reports may differ by up to `NAMED_GAP` days (announcements are often
# dated at publication by the extractor).
MAX_GAP = 2
NAMED_GAP = 7
# Outlets call one summit "القمة", "مؤتمر القمة" or "الدورة العادية للقمة": these types are
# interchangeable; other gathering types that differ count against a match.
SUMMIT_NAMES = frozenset({"summit", "conference", "session"})
MAX_INDEXED_DAYS = 62  # a longer event (a season-long exhibition) is indexed at its two ends


@dataclass
class Cluster:
    """The members of one resolved event so far, and what they say together."""
    id: str
    seq: int
    members: list[str] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    names: dict[str, int] = field(default_factory=dict)   # folded name -> its word count
    venues: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    dated: tuple[dt.date, dt.date] | None = None           # hull of the days the texts give
    near: tuple[dt.date, dt.date] | None = None            # hull of every member's days

    def add(self, key: EventKey) -> None:
        self.members.append(key.id)
        self.articles.add(key.article_id)
        self.types.add(key.type)
        if key.name:
            self.names[key.name] = key.name_words
        self.venues.update(key.venues)
        if key.country:
            self.countries.add(key.country)
        self.actors.update(key.actors)
        if key.first is not None and key.last is not None:
            self.near = _hull(self.near, key.first, key.last)
            if key.dated:
                self.dated = _hull(self.dated, key.first, key.last)


def _hull(span: tuple[dt.date, dt.date] | None, first: dt.date, last: dt.date
          ) -> tuple[dt.date, dt.date]:
    return (first, last) if span is None else (min(span[0], first), max(span[1], last))


def _gap(span: tuple[dt.date, dt.date], first: dt.date, last: dt.date) -> int:
    """Days between two spans (0 when they overlap)."""
    return max((first - span[1]).days, (span[0] - last).days, 0)


def score(key: EventKey, cluster: Cluster) -> int | None:
    """How strongly `key` is the event of `cluster`; None when it cannot be."""
    if key.article_id in cluster.articles or key.first is None or cluster.near is None:
        return None
    points = 0
    same_name = key.name is not None and key.name in cluster.names
    long_name = same_name and key.name_words >= LONG_NAME_WORDS
    if key.dated and cluster.dated is not None:
        gap = _gap(cluster.dated, key.first, key.last)
        if gap > (NAMED_GAP if long_name else MAX_GAP):
            return None
        points += max(2 - gap, 0)
    elif _gap(cluster.near, key.first, key.last) > (NAMED_GAP if long_name else UNDATED_SPREAD):
        return None
    if key.type not in cluster.types and not (
            key.type in SUMMIT_NAMES and cluster.types <= SUMMIT_NAMES):
        points -= 1
    same_venue = bool(cluster.venues.intersection(key.venues))
    if same_venue:
        points += 2
    elif key.venues and cluster.venues:
        same_country = key.country is not None and key.country in cluster.countries
        points -= 1 if same_country else 2
    if same_name:
        points += 3 if long_name else 1
    shared = len(cluster.actors.intersection(key.actors))
    points += min(shared, 3)
    # A summit is rare enough that one place and day identify it; other gatherings need a
    # shared name or participant, or one side naming none.
    summit = key.type == "summit" or "summit" in cluster.types
    identified = same_name or shared > 0 or (same_venue and (
        summit or not key.actors or not cluster.actors))
    return points if identified and points >= THRESHOLD else None


class Resolver:
    """An incremental index of clusters. `assign(key)` attaches the key to the best matching
    cluster or starts a new one; `load(cluster_id, keys)` brings back clusters already stored."""

    def __init__(self) -> None:
        self.clusters: dict[str, Cluster] = {}
        self._by_day: dict[tuple[str, int], set[str]] = defaultdict(set)
        self._seq = 0

    def load(self, cluster_id: str, keys: Iterable[EventKey]) -> Cluster:
        cluster = self.clusters.get(cluster_id)
        if cluster is None:
            cluster = self.clusters[cluster_id] = Cluster(cluster_id, self._next())
        for key in keys:
            cluster.add(key)
            self._index(cluster, key)
        return cluster

    def candidates(self, key: EventKey) -> list[Cluster]:
        if key.first is None or key.last is None:
            return []
        found: set[str] = set()
        reach = NAMED_GAP if key.name_words >= LONG_NAME_WORDS else max(MAX_GAP, UNDATED_SPREAD)
        for day in _days(key.first.toordinal() - reach, key.last.toordinal() + reach):
            found.update(self._by_day.get((key.family, day), ()))
        return sorted((self.clusters[c] for c in found), key=lambda c: c.seq)

    def best(self, key: EventKey) -> Cluster | None:
        best, best_points = None, None
        for cluster in self.candidates(key):
            points = score(key, cluster)
            if points is not None and (best_points is None or points > best_points):
                best, best_points = cluster, points
        return best

    def assign(self, key: EventKey) -> str:
        """The id of the cluster `key` joins: an existing one, else a new one named `key.id`."""
        cluster = self.best(key)
        if cluster is None:
            return self.load(key.id, [key]).id
        cluster.add(key)
        self._index(cluster, key)
        return cluster.id

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def _index(self, cluster: Cluster, key: EventKey) -> None:
        if key.first is None or key.last is None:
            return
        for day in _days(key.first.toordinal(), key.last.toordinal()):
            self._by_day[(key.family, day)].add(cluster.id)


def _days(first: int, last: int) -> list[int]:
    if last - first < MAX_INDEXED_DAYS:
        return list(range(first, last + 1))
    return [*range(first, first + 3), *range(last - 2, last + 1)]


def resolve(keys: Iterable[EventKey]) -> dict[str, str]:
    """Article event id -> cluster id, for keys taken in the given order (ingest order)."""
    resolver = Resolver()
    return {key.id: resolver.assign(key) for key in keys}
