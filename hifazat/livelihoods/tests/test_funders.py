"""Funders see aggregate figures of the programmes they fund, and nothing else; organisations see their own."""

from __future__ import annotations

from hifazat.core.disclosure import EXACT, Policy
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.livelihoods.selectors import (
    programme_figures,
    programme_figures_visible_to,
    programmes_visible_to,
)
from hifazat.livelihoods.tests.base import LivelihoodTestCase


class FunderTests(LivelihoodTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.prm = make_organisation("US Bureau PRM", org_type="Donor")
        self.prm_donor = make_user(self.prm, Role.DONOR_VIEWER, "prm-donor")
        self.funded = self.programme(funder=self.prm, capacity=10)
        self.unfunded = self.programme(name="Unfunded", funder=self.org_b)
        for n in range(6):
            person = self.widow_with_children(f"T-{n}", f"Woman {n}")
            self.enrol(self.funded, person, departure_reason="test" if n else "")
        self.man = self.member(
            self.household("T-9"), "Rashid", gender="Masculine", relationship_to_head="head"
        )
        self.enrol(self.funded, self.man, departure_reason="test")

    def test_a_donor_sees_the_figures_of_what_their_organisation_funds_only(self) -> None:
        donor = self.actor(self.prm_donor)
        self.assertEqual(list(programme_figures_visible_to(donor)), [self.funded])
        self.assertEqual(list(programmes_visible_to(donor)), [])  # no programme page, no participants
        self.assertEqual(list(programme_figures_visible_to(self.actor(self.a[Role.DONOR_VIEWER]))), [])

    def test_small_counts_are_hidden_and_money_on_too_few_people_too(self) -> None:
        figures = programme_figures(self.funded, policy=Policy(controlled=True, threshold=10))
        self.assertEqual(
            (figures.enrolled, figures.women, figures.men, figures.waiting), ("*", "*", "*", "0")
        )
        self.assertEqual(figures.by_district, [("Islamabad", "*")])
        self.assertIsNone(figures.spent)
        exact = programme_figures(self.funded, policy=EXACT)
        self.assertEqual((exact.enrolled, exact.women, exact.men), ("7", "6", "1"))
        # At a threshold of 5 the seven participants show (rounded to 5), and the one man with the women's
        # count: hidden, since "participants minus women" would give him away.
        five = programme_figures(self.funded, policy=Policy(controlled=True, threshold=5))
        self.assertEqual((five.enrolled, five.women, five.men), ("5", "*", "*"))

    def test_the_figures_page_shows_no_person_and_suppresses(self) -> None:
        client = self.client_for(self.prm_donor)
        response = client.get(f"/livelihoods/figures/{self.funded.uuid}/")
        self.assertContains(response, 'id="suppression-note"')
        self.assertContains(response, "*")
        for name in ("Rashid", "Woman 1", "T-1"):
            self.assertNotContains(response, name)
        self.assertEqual(client.get(f"/livelihoods/figures/{self.unfunded.uuid}/").status_code, 404)
        self.assertEqual(client.get(f"/livelihoods/{self.funded.uuid}/").status_code, 403)
        self.assertEqual(client.get(f"/api/v1/programmes/{self.funded.uuid}/enrolments/").status_code, 403)
        api = client.get(f"/api/v1/programmes/{self.funded.uuid}/figures/").json()
        self.assertEqual((api["enrolled"], api["men"], api["rounded_to"]), ("*", "*", 10))

    def test_the_implementing_organisation_sees_exact_figures_and_another_sees_none(self) -> None:
        response = self.client_for(self.a[Role.SUPERVISOR]).get(f"/livelihoods/figures/{self.funded.uuid}/")
        self.assertContains(response, "Men and boys")
        self.assertNotContains(response, 'id="suppression-note"')
        # An analyst sees figures only, never the participants: under disclosure control even at home.
        analyst = self.client_for(self.a[Role.ANALYST]).get(f"/livelihoods/figures/{self.funded.uuid}/")
        self.assertContains(analyst, 'id="suppression-note"')
        self.assertEqual(
            self.client_for(self.b[Role.ANALYST])
            .get(f"/livelihoods/figures/{self.funded.uuid}/")
            .status_code,
            404,
        )
        # B funds "Unfunded": B's analyst sees its figures, suppressed, as a funder.
        response = self.client_for(self.b[Role.ANALYST]).get(f"/livelihoods/figures/{self.unfunded.uuid}/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="suppression-note"')

    def test_the_list_and_the_detail_page_agree_for_every_viewer(self) -> None:
        """The list used to show a funder's analyst exact figures that the detail page hid."""
        b_supervisor = make_user(self.org_b, Role.SUPERVISOR, "b-sup-figures")
        for user, url in (
            (self.prm_donor, self.funded.uuid),
            (self.b[Role.ANALYST], self.unfunded.uuid),
            (b_supervisor, self.unfunded.uuid),
        ):
            client = self.client_for(user)
            listed = client.get("/livelihoods/figures/")
            detail = client.get(f"/livelihoods/figures/{url}/")
            self.assertContains(listed, "No individual record is shown")
            self.assertContains(detail, 'id="suppression-note"')
