"""Coverage arithmetic on a small known registry: people in two groups, people reached twice, people who moved
site, people outside the campaign's sites and other organisations' registries; knowledge scores; where next."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hifazat.campaigns import coverage, services
from hifazat.campaigns.models import Reach
from hifazat.core import disclosure
from hifazat.people import services as people
from hifazat.screening.testing import make_screening

from .base import WIDOWS, CampaignTestCase

WOMAN, PARENT = WIDOWS


class CoverageTests(CampaignTestCase):
    def setUp(self) -> None:
        super().setUp()
        # H-11: Nasreen, a widow with two children (in both groups); Zainab, a widow alone (one group).
        self.nasreen = self.widow("Nasreen", children=2)
        self.zainab = self.widow("Zainab")
        # Fatima lived at H-11, came to a session there, then moved to Balakot.
        self.fatima = self.widow("Fatima")
        # Ayesha came to a session at H-11, then moved to Bagh, outside the campaign.
        self.ayesha = self.widow("Ayesha")
        # A married woman at H-11: in no target group.
        self.register("Rukhsana", self.household(), marital_status="Married")
        self.campaign_ = self.campaign()
        first = self.session(self.campaign_, check_max_score=5)
        second = self.session(self.campaign_, held_on=first.held_on.replace(day=20))
        services.attendee_add(
            actor=self.coordinator, session=first, person=self.nasreen, pre_score=2, post_score=4
        )
        services.attendee_add(actor=self.coordinator, session=second, person=self.nasreen)  # reached twice
        services.attendee_add(actor=self.coordinator, session=first, person=self.fatima)
        services.attendee_add(actor=self.coordinator, session=first, person=self.ayesha)
        services.scores_record(actor=self.coordinator, session=first, scores=[(1, 3)])
        people.person_update(
            actor=self.caseworker, person=self.fatima, household=self.household(self.balakot)
        )
        people.person_update(
            actor=self.caseworker, person=self.ayesha, household=self.household(self.elsewhere)
        )

    def figures(self):
        return coverage.campaign_figures(self.campaign_)

    def site(self, figures, site):
        return next(s for s in figures.sites if s.site == site)

    def test_totals_count_each_person_once_where_they_live_now(self) -> None:
        figures = self.figures()
        self.assertEqual(
            figures.total, coverage.Cell(registered=3, reached=2, confirmed=2)
        )  # Nasreen, Zainab, Fatima
        self.assertEqual(self.site(figures, self.h11).people, coverage.Cell(2, 1, 1))
        self.assertEqual(
            self.site(figures, self.balakot).people, coverage.Cell(1, 1, 1)
        )  # reached before she moved
        self.assertAlmostEqual(figures.total.share, 2 / 3)

    def test_a_person_in_two_groups_counts_in_each_group(self) -> None:
        figures = self.figures()
        self.assertEqual(figures.groups[WOMAN], coverage.Cell(3, 2, 2))
        self.assertEqual(figures.groups[PARENT], coverage.Cell(1, 1, 1))  # Nasreen alone has children
        self.assertEqual(
            self.site(figures, self.h11).groups,
            {WOMAN: coverage.Cell(2, 1, 1), PARENT: coverage.Cell(1, 1, 1)},
        )

    def test_a_person_reached_twice_is_reached_once(self) -> None:
        self.assertEqual(Reach.objects.filter(person=self.nasreen).count(), 2)
        figures = self.figures()
        self.assertEqual(figures.reached_via, {"session": 3})  # Nasreen, Fatima and Ayesha, each once
        self.assertEqual(self.site(figures, self.h11).people.reached, 1)

    def test_someone_who_moved_away_from_every_site_no_longer_counts(self) -> None:
        figures = self.figures()
        self.assertNotIn(self.elsewhere, [s.site for s in figures.sites])
        self.assertEqual(sum(s.people.registered for s in figures.sites), 3)

    def test_other_organisations_count_only_as_partners(self) -> None:
        from hifazat.core.roles import Role

        b = self.actor(self.b[Role.CASEWORKER])
        self.widow("Gul", actor=b)
        self.assertEqual(self.figures().total.registered, 3)
        services.campaign_update(actor=self.coordinator, campaign=self.campaign_, partners=[self.org_b])
        self.assertEqual(self.figures().total, coverage.Cell(4, 2, 2))

    def test_an_sms_export_handed_over_counts_as_reach_but_not_as_delivered(self) -> None:
        from hifazat.campaigns.models import Reach as R

        R.objects.create(
            campaign=self.campaign_,
            person=self.zainab,
            via="sms",
            site=self.h11,
            reached_on=self.fatima.registered_on,
            export=self._handed_export(),
        )
        # Zainab's message was handed over to RapidPro; nobody has confirmed her phone received it.
        self.assertEqual(self.figures().total, coverage.Cell(3, 3, 2))

    def _handed_export(self):
        from hifazat.campaigns.models import KeyMessage, MessageExport
        from hifazat.core.jobs import job_create

        message = KeyMessage.objects.create(campaign=self.campaign_, title="SMS", topic="work_offers")
        return MessageExport.objects.create(
            campaign=self.campaign_,
            organisation=self.org_a,
            message=message,
            target_group=WOMAN,
            fallback_language="urd",
            job=job_create(actor=self.coordinator, kind="campaigns.audience_export"),
        )

    def test_knowledge_change_over_everyone_with_both_scores(self) -> None:
        figures = self.figures()
        # Nasreen 2 → 4 of 5 (40% → 80%), someone not registered 1 → 3 (20% → 60%).
        self.assertEqual(figures.knowledge.respondents, 2)
        self.assertAlmostEqual(figures.knowledge.before, 30.0)
        self.assertAlmostEqual(figures.knowledge.after, 70.0)
        self.assertAlmostEqual(figures.knowledge.change, 40.0)
        self.assertAlmostEqual(figures.knowledge_by_group[WOMAN].change, 40.0)

    def test_attendance_by_sex_and_age_band_is_summed(self) -> None:
        figures = self.figures()
        self.assertEqual(figures.sessions, 2)
        self.assertEqual(figures.attendance["female_18_59"], 40)
        self.assertEqual(figures.attendance["total"], 40)

    def test_where_next_ranks_sites_by_high_risk_people_not_yet_reached(self) -> None:
        from hifazat.core.roles import Role

        by = self.a[Role.CASEWORKER]
        # Balakot: two high-risk widows, neither reached. H-11: Zainab turns urgent (not reached).
        for name in ("Saima", "Bushra"):
            make_screening(self.widow(name, self.balakot), by=by, band="high")
        make_screening(self.zainab, by=by, band="low")
        make_screening(self.zainab, by=by, band="urgent")  # her latest band counts
        ranked = self.figures().where_next
        self.assertEqual([s.site for s in ranked], [self.balakot, self.h11])
        self.assertEqual(ranked[0].high_risk, coverage.Cell(2, 0))
        self.assertEqual(ranked[1].high_risk, coverage.Cell(1, 0))

    def test_the_number_of_queries_does_not_grow_with_the_registry(self) -> None:
        with CaptureQueriesContext(connection) as small:
            self.figures()
        for n in range(12):
            self.widow(f"Widow{n}", self.balakot if n % 2 else self.h11)
        with CaptureQueriesContext(connection) as larger:
            figures = self.figures()
        self.assertEqual(figures.total.registered, 15)
        self.assertEqual(len(larger.captured_queries), len(small.captured_queries))
        self.assertLessEqual(len(larger.captured_queries), 16)


class SuppressionTests(CampaignTestCase):
    """How the figures leave the campaign: through ``core.disclosure`` (its own tests try the attacks)."""

    def test_small_counts_are_hidden_for_outsiders_and_exact_inside(self) -> None:
        widows = [self.widow(f"W{n}") for n in range(7)]
        campaign = self.campaign()
        session = self.session(campaign)
        for person in widows[:3]:
            services.attendee_add(
                actor=self.coordinator, session=session, person=person, pre_score=1, post_score=4
            )
        figures = coverage.campaign_figures(campaign)
        outside = coverage.shown(figures, policy=disclosure.Policy(controlled=True, threshold=10))
        inside = coverage.shown(figures, policy=disclosure.EXACT)
        self.assertEqual((outside["total"].registered, outside["total"].reached), ("*", "*"))
        self.assertEqual(outside["total"].share, "—")
        self.assertEqual((inside["total"].registered, inside["total"].reached), ("7", "3"))
        self.assertEqual(inside["total"].share, "43%")
        self.assertEqual(outside["knowledge"].before, "—")  # an average of three people's scores
        self.assertEqual(inside["knowledge"].before, "20%")
        self.assertIsNone(outside["where_next"])
        # Outside, the two camps are one district (Islamabad, admin level 2); inside, two sites.
        self.assertEqual([row["code"] for row in outside["sites"]], ["PK701"])
        self.assertEqual(outside["chart"]["sites"]["reached"], [None])
        self.assertEqual(len(inside["sites"]), 2)
        self.assertEqual(inside["chart"]["sites"]["reached"], [0, 3])  # Balakot: none; H-11: three

    def test_larger_counts_are_rounded_for_outsiders(self) -> None:
        for n in range(12):
            self.widow(f"W{n}")
        campaign = self.campaign()
        outside = coverage.shown(
            coverage.campaign_figures(campaign), policy=disclosure.Policy(controlled=True, threshold=10)
        )
        self.assertEqual(outside["total"].registered, "10")
        self.assertEqual(outside["total"].reached, "0")  # nobody: zero is shown
        self.assertEqual(outside["total"].share, "0%")
