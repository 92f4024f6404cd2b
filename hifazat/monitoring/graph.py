"""The network around a report, laid out on the server and drawn as SVG (no script, no outside library).

Nodes are the reports of the report's cluster that the user may see, the traces they name (phones, plates,
names, employers, destinations) and the registered people linked to them; edges join a report to what it names
and to the reports linked to it by hand. The layout is radial: the chosen report in the centre, what it names on
the first ring, the reports that name the same on the second, and so on, each node placed near the mean angle of
its neighbours on the ring inside, so that branches stay apart. Deterministic: the same cluster draws the same.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse

from hifazat.core.audit import Actor
from hifazat.monitoring.models import Mention, Report, ReportLink, ReportPerson
from hifazat.monitoring.selectors import cluster_reports

MAX_REPORTS = 60
MAX_DEPTH = 6
RING = 120
MARGIN = 90


@dataclass
class Node:
    key: str
    kind: str  # "report", "person" or an entity kind
    label: str
    url: str = ""
    detail: str = ""
    depth: int = 0
    angle: float = 0.0
    x: float = 0.0
    y: float = 0.0
    focus: bool = False
    neighbours: list[str] = field(default_factory=list)


@dataclass
class Graph:
    nodes: list[Node]
    edges: list[tuple[Node, Node]]
    size: int
    total_reports: int
    shown_reports: int

    @property
    def view_box(self) -> str:
        return f"{-self.size} {-self.size} {2 * self.size} {2 * self.size}"


def network_graph(actor: Actor, report: Report) -> Graph:
    """The graph of ``report``'s cluster as ``actor`` may see it: at most ``MAX_REPORTS`` reports, the nearest
    to the chosen one in time."""
    visible = cluster_reports(actor, report)
    total = visible.count()
    reports = {r.pk: r for r in visible.order_by("occurred_on", "pk")}
    if len(reports) > MAX_REPORTS:
        nearest = sorted(
            reports.values(), key=lambda r: (abs((r.occurred_on - report.occurred_on).days), r.pk)
        )
        reports = {r.pk: r for r in nearest[:MAX_REPORTS]}
    reports[report.pk] = report
    nodes: dict[str, Node] = {}
    adjacency: dict[str, set[str]] = defaultdict(set)

    def link(a: str, b: str) -> None:
        adjacency[a].add(b)
        adjacency[b].add(a)

    for r in reports.values():
        nodes[f"r{r.pk}"] = Node(
            f"r{r.pk}",
            "report",
            r.number,
            reverse("monitoring:report_network", args=[r.uuid]),
            f"{r.get_kind_display()} · {r.occurred_on:%Y-%m-%d}" + (f" · {r.site.name}" if r.site_id else ""),
            focus=r.pk == report.pk,
        )
    mentions = Mention.objects.filter(report_id__in=reports).select_related("entity")
    for mention in mentions:
        entity = mention.entity
        key = f"e{entity.pk}"
        if key not in nodes:
            nodes[key] = Node(
                key,
                entity.kind,
                entity.display,
                reverse("monitoring:report_list") + f"?entity={entity.uuid}",
            )
        link(f"r{mention.report_id}", key)
    people = ReportPerson.objects.filter(report_id__in=reports, person__isnull=False).select_related("person")
    can_open = actor.can("people.view")
    for row in people:
        key = f"p{row.person_id}"
        if key not in nodes:
            nodes[key] = Node(
                key,
                "person",
                row.person.full_name,
                reverse("people:person_detail", args=[row.person.uuid]) if can_open else "",
                row.get_role_display(),
            )
        link(f"r{row.report_id}", key)
    for a, b in ReportLink.objects.filter(report_id__in=reports, other_id__in=reports).values_list(
        "report_id", "other_id"
    ):
        link(f"r{a}", f"r{b}")
    for key, node in nodes.items():
        node.neighbours = sorted(adjacency[key])
    size = _layout(nodes, f"r{report.pk}")
    edges = sorted(
        {(min(a, b), max(a, b)) for a in adjacency for b in adjacency[a] if a in nodes and b in nodes}
    )
    placed = [nodes[k] for k in sorted(nodes, key=lambda k: (nodes[k].depth, nodes[k].angle, k))]
    return Graph(
        nodes=placed,
        edges=[(nodes[a], nodes[b]) for a, b in edges],
        size=size,
        total_reports=total,
        shown_reports=len(reports),
    )


def _layout(nodes: dict[str, Node], centre: str) -> int:
    """Radial layout by breadth-first depth from ``centre``; returns the half-width of the drawing."""
    rings: list[list[str]] = [[centre]]
    depth = {centre: 0}
    while rings[-1] and len(rings) <= MAX_DEPTH:
        following = sorted({n for key in rings[-1] for n in nodes[key].neighbours if n not in depth})
        for key in following:
            depth[key] = len(rings)
        rings.append(following)
    # Anything beyond the deepest ring (a very long chain) joins the outermost ring.
    rest = sorted(key for key in nodes if key not in depth)
    if rest:
        for key in rest:
            depth[key] = len(rings) - 1
        rings[-1].extend(rest)
    rings = [ring for ring in rings if ring]
    for level, ring in enumerate(rings):
        if level == 0:
            nodes[centre].x = nodes[centre].y = 0.0
            continue

        def parent_angle(key: str, level: int = level) -> float:
            inner = [nodes[n].angle for n in nodes[key].neighbours if depth.get(n) == level - 1]
            if not inner:
                return 0.0
            return math.atan2(sum(math.sin(a) for a in inner), sum(math.cos(a) for a in inner)) % math.tau

        ordered = sorted(ring, key=lambda key: (parent_angle(key), key))
        radius = RING * level + max(0, len(ring) - 12 * level) * 4
        offset = parent_angle(ordered[0]) if level > 1 else -math.pi / 2
        for index, key in enumerate(ordered):
            node = nodes[key]
            node.depth = level
            node.angle = (offset + math.tau * index / len(ordered)) % math.tau
            node.x = round(radius * math.cos(node.angle), 1)
            node.y = round(radius * math.sin(node.angle), 1)
    extent = max((max(abs(n.x), abs(n.y)) for n in nodes.values()), default=0)
    return int(extent + MARGIN)
