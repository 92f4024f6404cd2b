"""Reports that share a trace form one cluster, kept as reports arrive and derivable again from scratch."""

from __future__ import annotations

import datetime

from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.monitoring import linking, services
from hifazat.monitoring.models import Cluster, Entity, Mention, Report
from hifazat.people.testing import make_site

DAY = datetime.date(2006, 1, 10)


class ClusterTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.h11 = make_site()
        cls.balakot = make_site("MAN-BLK", "Balakot Relief Camp")

    def setUp(self) -> None:
        self.focal = self.actor(self.a[Role.MONITORING_FOCAL_POINT])

    def report(self, site=None, day=DAY, **traces) -> Report:
        return services.report_submit(
            actor=self.focal,
            kind="recruiter_seen",
            occurred_on=day,
            description="seen",
            site=site or self.h11,
            traces=traces,
        )

    def test_the_same_phone_written_two_ways_links_two_reports(self) -> None:
        first = self.report(phone=["0300-1234567"])
        second = self.report(phone=["+92 300 1234567"], site=self.balakot)
        first.refresh_from_db()
        self.assertEqual(first.cluster, second.cluster)
        self.assertEqual(Entity.objects.filter(kind="phone").count(), 1)
        self.assertEqual(
            set(Mention.objects.values_list("written", flat=True)), {"0300-1234567", "+92 300 1234567"}
        )

    def test_clusters_are_transitive_and_unrelated_reports_stay_apart(self) -> None:
        a = self.report(phone=["0300-1234567"])
        b = self.report(phone=["03001234567"], plate=["LEA-1234"])
        c = self.report(plate=["lea 1234"], name=["Javed Iqbal"])
        alone = self.report(phone=["0345-7654321"])
        clusters = dict(Report.objects.values_list("pk", "cluster"))
        self.assertEqual(clusters[a.pk], clusters[b.pk])
        self.assertEqual(clusters[b.pk], clusters[c.pk])
        self.assertNotEqual(clusters[alone.pk], clusters[a.pk])

    def test_a_report_that_bridges_two_clusters_joins_them_into_the_larger(self) -> None:
        big = [self.report(phone=["0300-1234567"]) for _ in range(3)]
        small = self.report(plate=["LEA-1234"])
        bridge = self.report(phone=["0300-1234567"], plate=["LEA-1234"])
        labels = set(Report.objects.values_list("cluster", flat=True))
        self.assertEqual(labels, {big[0].cluster})
        self.assertEqual(bridge.cluster, big[0].cluster)
        small.refresh_from_db()
        self.assertEqual(small.cluster, big[0].cluster)

    def test_a_destination_alone_does_not_link(self) -> None:
        a = self.report(destination=["Lahore"])
        b = self.report(destination=["lahore"])
        self.assertNotEqual(a.cluster, b.cluster)
        self.assertEqual(Entity.objects.filter(kind="destination").count(), 1)

    def test_reports_linked_by_hand_join_one_cluster(self) -> None:
        a = self.report(phone=["0300-1234567"])
        b = self.report(phone=["0333-7654321"])
        services.report_link_reports(actor=self.focal, report=b, others=[a], note="same van")
        a.refresh_from_db()
        b.refresh_from_db()
        self.assertEqual(a.cluster, b.cluster)

    def test_linking_from_scratch_finds_the_same_clusters(self) -> None:
        reports = [
            self.report(phone=["0300-1234567"]),
            self.report(phone=["923001234567"], plate=["LEA-1234"]),
            self.report(plate=["LEA 1234"]),
            self.report(name=["Javed Iqbal"]),
            self.report(name=["Jawed Iqbal"], employer=["Al-Noor Overseas"]),
            self.report(phone=["0345-1111111"]),
        ]
        services.report_link_reports(actor=self.focal, report=reports[5], others=[reports[0]])

        def partition() -> set[frozenset[int]]:
            groups: dict[int, set[int]] = {}
            for pk, label in Report.objects.values_list("pk", "cluster"):
                groups.setdefault(label, set()).add(pk)
            return {frozenset(g) for g in groups.values()}

        incremental = partition()
        sizes = sorted(Cluster.objects.values_list("size", flat=True))
        self.assertEqual(sizes, sorted(len(g) for g in incremental if len(g) > 1))
        mentions = Mention.objects.count()
        result = linking.relink_network(self.org_a.pk)
        self.assertEqual(partition(), incremental)
        self.assertEqual(sorted(Cluster.objects.values_list("size", flat=True)), sizes)
        self.assertEqual(result.mentions, mentions)
        self.assertEqual(result.reports, 6)
        self.assertEqual(result.clusters, 2)
        self.assertEqual(result.largest, 4)

    def test_another_networks_reports_never_join_a_cluster(self) -> None:
        mine = self.report(phone=["0300-1234567"])
        theirs = services.report_submit(
            actor=self.actor(self.b[Role.MONITORING_FOCAL_POINT]),
            kind="recruiter_seen",
            occurred_on=DAY,
            description="seen",
            site=self.balakot,
            traces={"phone": ["0300-1234567"]},
        )
        mine.refresh_from_db()
        self.assertNotEqual(mine.cluster, theirs.cluster)
        self.assertEqual(Entity.objects.filter(kind="phone").count(), 2)


class UnionFindTests(HifazatTestCase):
    def test_union_find_groups(self) -> None:
        sets = linking.UnionFind()
        for a, b in [(1, 2), (3, 4), (2, 3), (5, 6)]:
            sets.union(a, b)
        sets.find(7)
        groups = {frozenset(g) for g in sets.groups().values()}
        self.assertEqual(groups, {frozenset({1, 2, 3, 4}), frozenset({5, 6}), frozenset({7})})
