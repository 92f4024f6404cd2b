"""Linking: the traces a report names become entities and mentions, and reports that share an entity (or that a
focal point linked by hand) form one cluster.

A report's ``traces`` (as written) are the source; ``Entity`` and ``Mention`` rows are derived from them and can
be derived again (``relink_network``). Clusters are the connected components of the graph of reports and the
entities of ``LINKING_KINDS`` they name. They are kept incrementally as reports arrive: a new report's cluster
is the union of its own and the clusters of every report that shares an entity with it, relabelled into the
largest of them (union by size, so that the giant cluster a busy recruiter makes is never rewritten for a small
one). Links are only added, never removed, so a cluster never has to split. ``Report.cluster`` holds the label,
which is the id of one of the cluster's reports.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BigIntegerField, Case, F, Value, When

from hifazat.monitoring.models import Cluster, Entity, EntityKind, Mention, Report, ReportLink
from hifazat.monitoring.normalise import LINKING_KINDS, entities_in

KINDS = [kind for kind, _label in EntityKind.choices]
CHUNK = 900  # ids per IN (...): under every database's limit on bound parameters
WRITE_CHUNK = 400  # reports per labelling statement: their ids and labels stay under the same limit


def clean_traces(raw: dict[str, Iterable[str] | str]) -> dict[str, list[str]]:
    """The traces of a report as stored: per kind, the written forms that normalise to something, once each."""
    out: dict[str, list[str]] = {}
    for kind in KINDS:
        value = raw.get(kind) or []
        text = value if isinstance(value, str) else "\n".join(value)
        written = [w for _value, w in entities_in(kind, text)]
        if written:
            out[kind] = written
    return out


def _entities(network_id: int, wanted: dict[tuple[str, str], str]) -> dict[tuple[str, str], int]:
    """The ids of the network's entities for ``wanted``, creating the missing ones."""
    found: dict[tuple[str, str], int] = {}
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, value in wanted:
        by_kind[kind].append(value)
    for kind, values in by_kind.items():
        for start in range(0, len(values), CHUNK):
            rows = Entity.objects.filter(
                network_id=network_id, kind=kind, value__in=values[start : start + CHUNK]
            ).values_list("value", "id")
            found.update({(kind, value): pk for value, pk in rows})
    missing = [key for key in wanted if key not in found]
    if missing:
        # ignore_conflicts: a concurrent report may have created the same entity a moment ago.
        Entity.objects.bulk_create(
            [
                Entity(network_id=network_id, kind=kind, value=value, display=wanted[(kind, value)])
                for kind, value in missing
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        return _entities(network_id, {key: wanted[key] for key in missing}) | found
    return found


def mention_traces(report: Report) -> list[int]:
    """Write the mentions of ``report``'s traces (after its traces changed, or for a new report); returns the ids
    of the entities it names."""
    found = [
        (kind, value, as_written)
        for kind, written in (report.traces or {}).items()
        if kind in KINDS
        for value, as_written in entities_in(kind, "\n".join(written))
    ]
    ids = _entities(report.network_id, {(kind, value): as_written for kind, value, as_written in found})
    written: dict[int, str] = {}
    for kind, value, as_written in found:
        written.setdefault(ids[(kind, value)], as_written)
    Mention.objects.bulk_create(
        [Mention(report=report, entity_id=pk, written=text) for pk, text in written.items()],
        ignore_conflicts=True,
    )
    return list(written)


def link_report(report: Report) -> int:
    """Derive ``report``'s mentions and join its cluster with those of every report that shares a linking entity
    with it or is linked to it by hand. Returns the cluster label. Call inside the transaction that saved it."""
    mention_traces(report)
    shared = Mention.objects.filter(report=report, entity__kind__in=LINKING_KINDS).values("entity_id")
    labels = set(
        Report.objects.filter(mentions__entity_id__in=shared)
        .exclude(pk=report.pk)
        .values_list("cluster", flat=True)
        .distinct()
    )
    labels |= set(Report.objects.filter(links_in__report=report).values_list("cluster", flat=True)) | set(
        Report.objects.filter(links_out__other=report).values_list("cluster", flat=True)
    )
    return merge_clusters(report, labels)


def merge_clusters(report: Report, labels: set[int | None]) -> int:
    """Put ``report`` and every report of the clusters ``labels`` into one cluster, the largest of them: only the
    reports of the smaller clusters are relabelled."""
    labels = {label for label in labels if label is not None}
    new = report.cluster is None
    if not new:
        labels.add(report.cluster)
    if not labels:
        label = report.pk
    else:
        sizes = dict(Cluster.objects.filter(label__in=labels).values_list("label", "size"))
        label = max(labels, key=lambda c: (sizes.get(c, 1), -c))
        others = labels - {label}
        if others:
            Report.objects.filter(cluster__in=others).update(cluster=label)
            Cluster.objects.filter(label__in=others).delete()
        size = sum(sizes.get(c, 1) for c in labels) + (1 if new else 0)
        if size > 1:
            Cluster.objects.update_or_create(
                label=label, defaults={"network_id": report.network_id, "size": size}
            )
    if report.cluster != label:
        Report.objects.filter(pk=report.pk).update(cluster=label)
        report.cluster = label
    return label


class UnionFind:
    """Disjoint sets over integer ids, with path halving and union by size."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.size: dict[int, int] = {}

    def find(self, item: int) -> int:
        parent = self.parent
        if item not in parent:
            parent[item] = item
            self.size[item] = 1
            return item
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for item in self.parent:
            out[self.find(item)].append(item)
        return out


@dataclass(frozen=True)
class RelinkResult:
    reports: int
    mentions: int
    entities: int
    clusters: int
    largest: int
    seconds: float


def relink_network(network_id: int) -> RelinkResult:
    """Derive every entity, mention and cluster of a network again from its reports' traces and manual links:
    after a change to the normalisation rules, or to check the incremental clusters. Entities that alerts point
    to are kept; mentions are written anew. Call inside a transaction."""
    started = time.perf_counter()
    # One pass of normalisation: each report's (kind, value, as written), each distinct value once.
    named: list[tuple[int, list[tuple[str, str, str]]]] = []
    wanted: dict[tuple[str, str], str] = {}
    for pk, traces in Report.objects.filter(network_id=network_id).values_list("pk", "traces").iterator(2000):
        found = []
        for kind, written in (traces or {}).items():
            if kind in KINDS:
                for value, as_written in entities_in(kind, "\n".join(written)):
                    found.append((kind, value, as_written))
                    wanted.setdefault((kind, value), as_written)
        named.append((pk, found))
    ids = _entities(network_id, wanted)

    Mention.objects.filter(report__network_id=network_id).delete()
    mentions: list[Mention] = []
    by_entity: dict[int, list[int]] = defaultdict(list)
    for pk, found in named:
        seen: set[int] = set()
        for kind, value, as_written in found:
            entity_id = ids[(kind, value)]
            if entity_id in seen:
                continue
            seen.add(entity_id)
            mentions.append(Mention(report_id=pk, entity_id=entity_id, written=as_written))
            if kind in LINKING_KINDS:
                by_entity[entity_id].append(pk)
    Mention.objects.bulk_create(mentions, batch_size=5000)

    sets = UnionFind()
    for members in by_entity.values():
        first = members[0]
        for other in members[1:]:
            sets.union(first, other)
    for a, b in ReportLink.objects.filter(report__network_id=network_id).values_list("report_id", "other_id"):
        sets.union(a, b)
    groups = [members for members in sets.groups().values() if len(members) > 1]
    Cluster.objects.filter(network_id=network_id).delete()
    Cluster.objects.bulk_create(
        [Cluster(label=min(members), network_id=network_id, size=len(members)) for members in groups],
        batch_size=2000,
    )
    # Every report's label written once, a range of ids at a time: a report on its own is labelled with its own
    # id, a cluster's reports with the smallest id among them.
    label_of: dict[int, int] = {}
    for members in groups:
        smallest = min(members)
        label_of.update(dict.fromkeys(members, smallest))
    ordered = sorted(pk for pk, _found in named)
    for start in range(0, len(ordered), WRITE_CHUNK):
        chunk = ordered[start : start + WRITE_CHUNK]
        by_label: dict[int, list[int]] = defaultdict(list)
        for pk in chunk:
            if label_of.get(pk, pk) != pk:
                by_label[label_of[pk]].append(pk)
        labels = (
            Case(
                *[When(pk__in=members, then=Value(smallest)) for smallest, members in by_label.items()],
                default=F("pk"),
                output_field=BigIntegerField(),
            )
            if by_label
            else F("pk")
        )
        Report.objects.filter(network_id=network_id, pk__range=(chunk[0], chunk[-1])).update(cluster=labels)
    return RelinkResult(
        reports=len(named),
        mentions=len(mentions),
        entities=len(ids),
        clusters=len(named) - sum(len(m) - 1 for m in groups),
        largest=max((len(m) for m in groups), default=1),
        seconds=time.perf_counter() - started,
    )
