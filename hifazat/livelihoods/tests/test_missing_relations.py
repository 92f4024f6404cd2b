"""The programme list answers when a programme has no funder (the API allows one without): a template
filter argument through the missing funder used to raise, and the whole list failed for the organisation."""

from __future__ import annotations

from hifazat.core.roles import Role
from hifazat.livelihoods.models import Programme
from hifazat.livelihoods.tests.base import LivelihoodTestCase


class ProgrammeWithoutFunderTests(LivelihoodTestCase):
    def test_the_list_shows_a_programme_without_a_funder(self) -> None:
        programme = self.programme(name="Poultry for widows")
        Programme.objects.filter(pk=programme.pk).update(funder=None)
        response = self.client_for(self.a[Role.LIVELIHOOD_OFFICER]).get("/livelihoods/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Poultry for widows")
