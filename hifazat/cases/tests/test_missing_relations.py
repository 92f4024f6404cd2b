"""Case pages answer when a record names nobody where the model allows it (no caseworker, a follow-up
assigned to nobody, a comment without its author): a template filter argument through a missing relation
used to raise and make the whole page fail."""

from __future__ import annotations

import datetime

from hifazat.cases.models import Case, CaseComment, CaseFollowUp
from hifazat.core.roles import Role

from .base import CaseTestCase


class MissingRelationTests(CaseTestCase):
    def test_a_case_without_a_caseworker_is_listed_and_shown(self) -> None:
        Case.objects.filter(pk=self.case.pk).update(caseworker=None)
        client = self.client_for(self.a[Role.SUPERVISOR])
        listing = client.get("/cases/")
        self.assertEqual(listing.status_code, 200)
        self.assertContains(listing, self.case.number)
        self.assertContains(client.get(self.url()), self.case.number)

    def test_a_follow_up_assigned_to_nobody_and_a_comment_without_its_author_are_shown(self) -> None:
        CaseFollowUp.objects.create(
            case=self.case, due_on=datetime.date(2006, 2, 1), purpose="Visit the family", assigned_to=None
        )
        CaseComment.objects.create(case=self.case, body="Met the elder brother.", created_by=None)
        page = self.client_for(self.a[Role.CASEWORKER]).get(self.url())
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Visit the family")
        self.assertContains(page, "Met the elder brother.")
