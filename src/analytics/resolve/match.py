"""Deciding whether an article's event is one already known: scoring and candidate blocking.

Input: `EventKey` values, one at a time (the store feeds each ingested article's events).
Output: the cluster each key joins, an existing one or a new one named after the key.

Blocking: clusters are indexed by (type family, day) for the days they cover, so a key is only
compared with clusters of a compatible type within a few days of it; the work per key depends
on how many events fall on those days, not on the size of the store.

Scoring (why each weight): a report and an announcement of one event agree on the day (+2, or
+1 a day apart, 0 two days apart; see MAX_GAP and NAMED_GAP; an undated report published on a
day the event covers, or on the day another undated report was, +1), on the venue (+2, when it
is a place finer than a country), on a proper name of three words or more (+3; shorter names
such as "الدورة السابعة" are shared by unrelated events, +1; two names whose distinctive words
one contains the other's, +1, or +2 with two such words or a number: "المؤتمر 23 للاتحاد" and
"المؤتمر 23 العادي للاتحاد") and on who takes part (+1 per shared person or organization, at most
3; news agencies and outlets quoted as sources are not participants). Venues both given and
different count against (-1 in the same country, where outlets differ on the city, -2
otherwise); a country given as the venue counts +1 with a venue in it, -2 with one elsewhere,
and never identifies an event by itself. Two gathering types that differ count -1, except those
outlets use for one gathering (INTERCHANGEABLE). A key is compared with a cluster's nearest
member, but the members' days together may not spread over more than a week beyond the longest
member's length, counted up to MAX_INDEXED_DAYS (MAX_SPREAD), or a body meeting daily would
chain into one event of months. A summit is rare: one on the same days in a compatible place
gets +1. A key joins the best cluster scoring at least `THRESHOLD`, and only
with some evidence of identity beyond time and place (a shared name or actor, or one side
naming no actor at all at a shared venue finer than a country, for events held at a place):
two different meetings in one capital on one day stay apart. Two events of one article never
join: the extractor already told them apart.

Bridging: a key that matches two clusters (the second by at least `BRIDGE_THRESHOLD`) joins them
into the older one, unless something tells them apart: an article with events in both,
different places, countries or names.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from analytics.resolve.keys import UNDATED_SPREAD, EventKey
from analytics.resolve.names import actor_identity, distinctive_words, name_overlap

THRESHOLD = 4
# A key joins a second cluster into its best one only on firmer evidence than joining one: a
# bridge merges two whole events, and one shared official on one day in one country is not it.
BRIDGE_THRESHOLD = THRESHOLD + 1
LONG_NAME_WORDS = 3
# Days two dated reports may differ by: a day's shift is common ("yesterday", time zones), two
# days happen when an announcement dates the opening and a report the main day. A proper name
# of three words or more ("الدورة الثالثة عشرة لمؤتمر القمة الإسلامي") is not reused within a
# week, so with one the reports may differ by up to `NAMED_GAP` days (announcements are often
# dated at publication by the extractor).
MAX_GAP = 2
NAMED_GAP = 7
# Days a cluster's members may disagree by in all (beyond its longest member's own length,
# counted up to MAX_INDEXED_DAYS: see `_spread`): a
# key is compared with the nearest member, so without a bound on the whole a parliament sitting
# each day, with the same speaker in the same hall, grows one day at a time into one event of
# years. A week: the most an announcement dated at publication and a report differ by.
MAX_SPREAD = NAMED_GAP
# Gathering types outlets use for one gathering: "القمة", "مؤتمر القمة" or "الدورة العادية
# للقمة"; "المؤتمر الدولي للاستثمار", "الندوة الدولية للاستثمار" or "منتدى الاستثمار". Two types
# in one of these sets do not count against a match; other gathering types that differ do.
SUMMIT_NAMES = frozenset({"summit", "conference", "session"})
INTERCHANGEABLE = (SUMMIT_NAMES, frozenset({"conference", "forum", "seminar"}))
# Events identified by where and when they happen, so that a shared venue identifies them when
# one side names no actor; a visit, a signing or a launch is identified by who or what.
HELD_AT_A_PLACE = frozenset({"meeting", "summit", "conference", "forum", "session", "seminar",
                             "exhibition", "ceremony"})
MAX_INDEXED_DAYS = 62  # a longer event (a season-long exhibition) is indexed at its two ends


def country_venue(venues: tuple[str, ...]) -> bool:
    """Whether the venue keys are a country's (its knowledge id first: "iso:TN"): a country
    says little about which event it is, and its name ("تونس") is also its capital's."""
    return bool(venues) and venues[0].startswith("iso:")


@dataclass
class Cluster:
    """The members of one resolved event so far, and what they say together."""
    id: str
    seq: int
    members: list[str] = field(default_factory=list)
    keys: list[EventKey] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    names: dict[str, int] = field(default_factory=dict)   # folded name -> its word count
    venues: set[str] = field(default_factory=set)          # places finer than a country
    countries: set[str] = field(default_factory=set)       # of venues finer than a country
    venue_countries: set[str] = field(default_factory=set)  # of every venue, countries too
    actors: set[str] = field(default_factory=set)          # `actor_identity` keys
    dated: tuple[dt.date, dt.date] | None = None           # hull of the days the texts give
    near: tuple[dt.date, dt.date] | None = None            # hull of every member's days
    longest_dated: int = 0   # days between first and last of the longest dated member
    longest: int = 0         # the same over every member

    def add(self, key: EventKey) -> None:
        self.members.append(key.id)
        self.keys.append(key)
        self.articles.add(key.article_id)
        self.types.add(key.type)
        if key.name:
            self.names[key.name] = key.name_words
        if key.venues and not country_venue(key.venues):
            self.venues.update(key.venues)
            if key.country:
                self.countries.add(key.country)
        if key.country:
            self.venue_countries.add(key.country)
        self.actors.update(actor_identity(key.actors))
        if key.first is not None and key.last is not None:
            length = (key.last - key.first).days
            self.near = _hull(self.near, key.first, key.last)
            self.longest = max(self.longest, length)
            if key.dated:
                self.dated = _hull(self.dated, key.first, key.last)
                self.longest_dated = max(self.longest_dated, length)


def evidence(key: EventKey) -> frozenset[str]:
    """What `score` can find shared between this key and a cluster's member as evidence of
    identity, each a string: the name ("n:"), each distinctive word of it ("w:"), each
    participant ("a:", by `actor_identity`), each venue finer than a country ("v:"). A key and
    a cluster with none of these in common never score (`score` asks for a shared name or name
    word, participant or venue), so a store can look up, for a key, only the clusters whose
    members share one with it (`analytics.store.resolution.attach`)."""
    found = []
    if key.name:
        found.append("n:" + key.name)
        found.extend("w:" + w for w in distinctive_words(key.name))
    found.extend("a:" + a for a in actor_identity(key.actors))
    if key.venues and not country_venue(key.venues):
        found.extend("v:" + v for v in key.venues)
    return frozenset(found)


def indexed_days(key: EventKey) -> list[int]:
    """The days (ordinals) a cluster is found by when `key` is one of its members."""
    if key.first is None or key.last is None:
        return []
    return _days(key.first.toordinal(), key.last.toordinal())


def lookup_days(key: EventKey) -> list[int]:
    """The days (ordinals) whose clusters `key` is compared with (`Resolver.candidates`)."""
    if key.first is None or key.last is None:
        return []
    reach = NAMED_GAP if key.name_words >= LONG_NAME_WORDS else max(MAX_GAP, UNDATED_SPREAD)
    return _days(key.first.toordinal() - reach, key.last.toordinal() + reach)


def _hull(span: tuple[dt.date, dt.date] | None, first: dt.date, last: dt.date
          ) -> tuple[dt.date, dt.date]:
    return (first, last) if span is None else (min(span[0], first), max(span[1], last))


def _gap(span: tuple[dt.date, dt.date], first: dt.date, last: dt.date) -> int:
    """Days between two spans (0 when they overlap)."""
    return max((first - span[1]).days, (span[0] - last).days, 0)


def _spread(span: tuple[dt.date, dt.date], longest: int, first: dt.date, last: dt.date) -> int:
    """By how many days the members' days would disagree with a member of `first`..`last`
    added: the width of their hull beyond the longest member's own length, counted up to
    MAX_INDEXED_DAYS (see MAX_SPREAD)."""
    width = (max(span[1], last) - min(span[0], first)).days
    # A member's own length counts up to MAX_INDEXED_DAYS: a "plan for 2016-2020" read as one
    # event would otherwise let every event sharing a participant in those years join it.
    return width - min(max(longest, (last - first).days), MAX_INDEXED_DAYS)


def _interchangeable(type_: str, types: set[str]) -> bool:
    return type_ in types or any(type_ in group and types <= group for group in INTERCHANGEABLE)


def score(key: EventKey, cluster: Cluster) -> int | None:
    """How strongly `key` is the event of `cluster`; None when it cannot be."""
    if key.article_id in cluster.articles or key.first is None or cluster.near is None:
        return None
    points = 0
    same_name = key.name is not None and key.name in cluster.names
    long_name = same_name and key.name_words >= LONG_NAME_WORDS
    if key.dated and cluster.dated is not None:
        gap = _gap(cluster.dated, key.first, key.last)
        allowed = NAMED_GAP if long_name else MAX_GAP
        if gap > allowed or _spread(cluster.dated, cluster.longest_dated,
                                    key.first, key.last) > MAX_SPREAD:
            return None
        points += max(2 - gap, 0)
    else:
        gap = _gap(cluster.near, key.first, key.last)
        allowed = NAMED_GAP if long_name else UNDATED_SPREAD
        if gap > allowed or _spread(cluster.near, cluster.longest,
                                    key.first, key.last) > MAX_SPREAD:
            return None
        # An undated report published on a day the dated event covers (or the reverse):
        # outlets report an event on its day.
        if gap == 0:
            points += 1
    # Evidence of identity first (most candidates have none, and stop here).
    shared = len(cluster.actors.intersection(actor_identity(key.actors)))
    place = bool(key.venues) and not country_venue(key.venues)
    same_venue = place and not cluster.venues.isdisjoint(key.venues)
    named = 0
    if same_name:
        named = 3 if long_name else 1
    elif key.name and cluster.names:
        named = max(name_overlap(key.name, other) for other in cluster.names)
    summit = key.type == "summit" or "summit" in cluster.types
    # A summit is rare enough that one place and day identify it; other gatherings need a
    # shared name or participant, or one side naming none.
    if not (named or shared or (same_venue and (
            summit or (key.type in HELD_AT_A_PLACE and (not key.actors or not cluster.actors))))):
        return None
    points += named + min(shared, 3)
    if not _interchangeable(key.type, cluster.types):
        points -= 1
    if same_venue:
        points += 2
    elif place and cluster.venues:
        same_country = key.country is not None and key.country in cluster.countries
        points -= 1 if same_country else 2
    elif key.country and cluster.venue_countries:
        # A country given as the venue: +1 when it holds the other venue, -2 when it does not.
        points += 1 if key.country in cluster.venue_countries else -2
    if summit and (key.dated or cluster.dated is not None) and gap == 0 and (
            same_venue or (key.country is not None and key.country in cluster.venue_countries)):
        points += 1
    return points if points >= THRESHOLD else None


class Resolver:
    """An incremental index of clusters. `assign(key)` attaches the key to the best matching
    cluster (and joins the other clusters it matches into that one: `joined`) or starts a new
    one; `load(cluster_id, keys)` brings back clusters already stored."""

    def __init__(self) -> None:
        self.clusters: dict[str, Cluster] = {}
        self.joined: dict[str, str] = {}   # a cluster bridged into another -> that other
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
        found: set[str] = set()
        for day in lookup_days(key):
            found.update(self._by_day.get((key.family, day), ()))
        return sorted((self.clusters[c] for c in found), key=lambda c: c.seq)

    def matches(self, key: EventKey) -> list[tuple[int, Cluster]]:
        """The clusters `key` matches and their scores, best first (ties: the older first)."""
        scored = [(points, cluster) for cluster in self.candidates(key)
                  if (points := score(key, cluster)) is not None]
        scored.sort(key=lambda pc: (-pc[0], pc[1].seq))
        return scored

    def best(self, key: EventKey) -> Cluster | None:
        found = self.matches(key)
        return found[0][1] if found else None

    def assign(self, key: EventKey) -> str:
        """The id of the cluster `key` joins: an existing one, else a new one named `key.id`."""
        found = self.matches(key)
        if not found:
            return self.load(key.id, [key]).id
        cluster = found[0][1]
        for points, other in found[1:]:
            if points >= BRIDGE_THRESHOLD and _bridgeable(cluster, other):
                cluster = self._join(cluster, other)
        cluster.add(key)
        self._index(cluster, key)
        return cluster.id

    def _join(self, a: Cluster, b: Cluster) -> Cluster:
        """`b` into `a`, or `a` into `b`: the older cluster keeps its id."""
        keep, gone = (a, b) if a.seq <= b.seq else (b, a)
        for key in gone.keys:
            keep.add(key)
            self._index(keep, key)
        for key in gone.keys:
            for day in indexed_days(key):
                self._by_day[(key.family, day)].discard(gone.id)
        del self.clusters[gone.id]
        self.joined[gone.id] = keep.id
        for was, now in self.joined.items():
            if now == gone.id:
                self.joined[was] = keep.id
        return keep

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def _index(self, cluster: Cluster, key: EventKey) -> None:
        for day in indexed_days(key):
            self._by_day[(key.family, day)].add(cluster.id)


def _bridgeable(a: Cluster, b: Cluster) -> bool:
    """Two clusters one event matches are joined only when nothing tells them apart: no article
    has events in both (the extractor told them apart), their days together spread no more
    than a cluster's may (MAX_SPREAD), their places (finer than a country)
    and their countries are shared when both give them, and so is a name, equal or
    overlapping (`name_overlap`), when both are named."""
    if a.articles & b.articles:
        return False
    if a.dated and b.dated and _spread(a.dated, max(a.longest_dated, b.longest_dated),
                                       *b.dated) > MAX_SPREAD:
        return False
    if a.near and b.near and _spread(a.near, max(a.longest, b.longest), *b.near) > MAX_SPREAD:
        return False
    if a.venues and b.venues and not a.venues & b.venues:
        return False
    if a.venue_countries and b.venue_countries and not a.venue_countries & b.venue_countries:
        return False
    return not (a.names and b.names) or bool(a.names.keys() & b.names.keys()) or any(
        name_overlap(x, y) for x in a.names for y in b.names)


def _days(first: int, last: int) -> list[int]:
    if last - first < MAX_INDEXED_DAYS:
        return list(range(first, last + 1))
    return [*range(first, first + 3), *range(last - 2, last + 1)]


def resolve(keys: Iterable[EventKey]) -> dict[str, str]:
    """Article event id -> cluster id, for keys taken in the given order (ingest order); a
    cluster later joined into another is reported as that other."""
    resolver = Resolver()
    assigned = {key.id: resolver.assign(key) for key in keys}
    return {k: resolver.joined.get(c, c) for k, c in assigned.items()}
