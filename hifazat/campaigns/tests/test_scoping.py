"""Scoping across organisations: who runs a campaign, who carries it out as a partner, who sees whose people, and
who is refused."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from hifazat.campaigns import selectors, services
from hifazat.campaigns.models import Reach
from hifazat.core.roles import Role

from .base import WIDOWS, CampaignTestCase


class ScopingTests(CampaignTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.nasreen = self.widow("Nasreen")
        self.b_caseworker = self.actor(self.b[Role.CASEWORKER])
        self.gul = self.widow("Gul", actor=self.b_caseworker)
        self.campaign_ = self.campaign()

    def test_another_organisation_does_not_see_the_campaign_until_it_is_a_partner(self) -> None:
        b_client = self.client_for(self.b[Role.CAMPAIGN_COORDINATOR])
        self.assertEqual(b_client.get(f"/campaigns/{self.campaign_.uuid}/").status_code, 404)
        self.assertNotContains(b_client.get("/campaigns/"), "Safe futures")
        services.campaign_update(actor=self.coordinator, campaign=self.campaign_, partners=[self.org_b])
        self.assertEqual(b_client.get(f"/campaigns/{self.campaign_.uuid}/").status_code, 200)
        self.assertContains(b_client.get("/campaigns/"), "Safe futures")

    def test_a_partner_records_activities_but_does_not_edit_the_campaign_or_its_messages(self) -> None:
        services.campaign_update(actor=self.coordinator, campaign=self.campaign_, partners=[self.org_b])
        b_coordinator = self.actor(self.b[Role.CAMPAIGN_COORDINATOR])
        session = self.session(self.campaign_, actor=b_coordinator)
        self.assertEqual(session.facilitator, self.org_b)
        with self.assertRaises(PermissionDenied):
            services.campaign_update(actor=b_coordinator, campaign=self.campaign_, name="Renamed")
        with self.assertRaises(PermissionDenied):
            services.key_message_create(
                actor=b_coordinator, campaign=self.campaign_, title="x", topic="other"
            )
        client = self.client_for(self.b[Role.CAMPAIGN_COORDINATOR])
        self.assertEqual(client.get(f"/campaigns/{self.campaign_.uuid}/edit/").status_code, 403)
        self.assertEqual(client.get(f"/campaigns/{self.campaign_.uuid}/messages/new/").status_code, 403)
        self.assertEqual(client.get(f"/campaigns/{self.campaign_.uuid}/sessions/new/").status_code, 200)

    def test_a_partner_links_only_people_of_its_own_registry(self) -> None:
        services.campaign_update(actor=self.coordinator, campaign=self.campaign_, partners=[self.org_b])
        session = self.session(self.campaign_, actor=self.b_caseworker)
        with self.assertRaises(PermissionDenied):
            services.attendee_add(actor=self.b_caseworker, session=session, person=self.nasreen)
        services.attendee_add(actor=self.b_caseworker, session=session, person=self.gul)
        services.attendee_add(actor=self.coordinator, session=session, person=self.nasreen)
        # Each organisation sees its own attendees by name and the others as a count.
        a_page = self.client_for(self.a[Role.CAMPAIGN_COORDINATOR]).get(
            f"/campaigns/sessions/{session.uuid}/"
        )
        self.assertContains(a_page, "Nasreen")
        self.assertNotContains(a_page, "Gul")
        self.assertContains(a_page, "1 more registered person, from another organisation")
        b_page = self.client_for(self.b[Role.CASEWORKER]).get(f"/campaigns/sessions/{session.uuid}/")
        self.assertContains(b_page, "Gul")
        self.assertNotContains(b_page, "Nasreen")
        b_api = self.client_for(self.b[Role.CASEWORKER]).get(
            f"/api/v1/campaign-sessions/{session.uuid}/attendees/"
        )
        self.assertEqual([row["person"] for row in b_api.json()["results"]], [str(self.gul.uuid)])

    def test_the_gap_list_holds_only_people_the_user_may_see(self) -> None:
        services.campaign_update(actor=self.coordinator, campaign=self.campaign_, partners=[self.org_b])
        a_gaps = list(selectors.gap_list(self.caseworker, self.campaign_))
        b_gaps = list(selectors.gap_list(self.b_caseworker, self.campaign_))
        self.assertEqual((a_gaps, b_gaps), ([self.nasreen], [self.gul]))
        self.assertEqual(list(selectors.gap_list(self.actor(self.a[Role.ANALYST]), self.campaign_)), [])

    def test_a_person_once_reached_leaves_the_gap_list(self) -> None:
        session = self.session(self.campaign_)
        attendance = services.attendee_add(actor=self.caseworker, session=session, person=self.nasreen)
        self.assertEqual(list(selectors.gap_list(self.caseworker, self.campaign_)), [])
        services.attendee_remove(actor=self.caseworker, attendance=attendance)
        self.assertFalse(Reach.objects.filter(person=self.nasreen).exists())
        self.assertEqual(list(selectors.gap_list(self.caseworker, self.campaign_)), [self.nasreen])

    def test_sessions_follow_the_campaigns_places_groups_period_and_headcount(self) -> None:
        with self.assertRaises(ValidationError):
            self.session(self.campaign_, site=self.elsewhere)
        with self.assertRaises(ValidationError):
            self.session(self.campaign_, target_group="older_person_alone")
        with self.assertRaises(ValidationError):
            self.session(self.campaign_, held_on=self.campaign_.starts_on.replace(year=2005))
        with self.assertRaises(ValidationError):
            self.session(self.campaign_, facilitator=self.org_b)
        small = self.session(self.campaign_, female_18_59=1)
        services.attendee_add(actor=self.coordinator, session=small, person=self.nasreen)
        other = self.widow("Zainab")
        with self.assertRaisesMessage(ValidationError, "headcount is 1"):
            services.attendee_add(actor=self.coordinator, session=small, person=other)
        with self.assertRaises(ValidationError):
            services.attendee_add(actor=self.coordinator, session=small, person=self.nasreen)

    def test_scores_stay_within_the_check(self) -> None:
        session = self.session(self.campaign_, check_max_score=5)
        with self.assertRaises(ValidationError):
            services.attendee_add(actor=self.coordinator, session=session, person=self.nasreen, post_score=6)
        with self.assertRaises(ValidationError):
            services.scores_record(actor=self.coordinator, session=session, scores=[(1, 2)] * 21)

    def test_who_is_refused_each_write(self) -> None:
        session = self.session(self.campaign_)
        for role in (
            Role.ADMINISTRATOR,
            Role.ANALYST,
            Role.DONOR_VIEWER,
            Role.LIVELIHOOD_OFFICER,
            Role.NETWORK_REPORTER,
        ):
            actor = self.actor(self.a[role])
            with self.assertRaises(PermissionDenied, msg=role):
                services.session_record(
                    actor=actor,
                    campaign=self.campaign_,
                    site=self.h11,
                    held_on=session.held_on,
                    facilitator=self.org_a,
                    target_group=WIDOWS[0],
                    female_18_59=3,
                )
            with self.assertRaises(PermissionDenied, msg=role):
                services.attendee_add(actor=actor, session=session, person=self.nasreen)
        for role in (Role.CASEWORKER, Role.SUPERVISOR, Role.ANALYST):
            with self.assertRaises(PermissionDenied, msg=role):
                services.campaign_create(
                    actor=self.actor(self.a[role]),
                    name="x",
                    objective="x",
                    starts_on=session.held_on,
                    sites=[self.h11],
                    target_groups=WIDOWS,
                )

    def test_a_campaign_needs_a_place_and_a_known_group(self) -> None:
        with self.assertRaises(ValidationError):
            self.campaign(sites=[])
        with self.assertRaises(ValidationError):
            self.campaign(groups=["not_a_group"])

    def test_the_launch_is_at_one_of_the_campaigns_sites_within_its_period(self) -> None:
        with self.assertRaises(ValidationError):
            services.campaign_launch(
                actor=self.coordinator,
                campaign=self.campaign_,
                launched_on=self.campaign_.starts_on,
                launch_site=self.elsewhere,
            )
        services.campaign_launch(
            actor=self.coordinator,
            campaign=self.campaign_,
            launched_on=self.campaign_.starts_on,
            launch_site=self.h11,
        )
        self.campaign_.refresh_from_db()
        self.assertEqual((self.campaign_.status, self.campaign_.launch_site), ("active", self.h11))

    def test_campaign_areas_bring_every_site_in_them(self) -> None:
        from hifazat.geography.models import AdminArea

        campaign = self.campaign(sites=[], areas=[AdminArea.objects.get(pcode="PK701")])
        self.assertEqual(set(selectors.campaign_sites(campaign)), {self.h11, self.balakot, self.elsewhere})
