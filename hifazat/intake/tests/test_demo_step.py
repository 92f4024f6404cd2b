"""The intake step of the demo scenario: the shipped forms published, a Collect key and households sent from the field,
stored through the same services as the OpenRosa endpoint."""

from __future__ import annotations

import random

from hifazat.core.audit import Actor
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.intake import demo
from hifazat.intake.formdefs import PURPOSES
from hifazat.intake.models import CollectKey, Submission, XForm
from hifazat.people.models import Consent, Person
from hifazat.people.testing import make_site


class FakeDemo:
    """What the step reads of ``demo.scenario.Demo``: the users by name and the seeded generator."""

    def __init__(self, users: dict) -> None:
        self.users = users
        self.rng = random.Random(2005)

    def actor(self, username: str) -> Actor:
        return Actor.for_user(self.users[username])


class DemoStepTests(HifazatTestCase):
    def test_the_step_publishes_the_shipped_forms_and_stores_the_households_sent_from_the_field(self) -> None:
        make_site()
        demo.build(FakeDemo({"supervisor": self.a[Role.SUPERVISOR], "caseworker": self.a[Role.CASEWORKER]}))

        forms = XForm.objects.filter(organisation=self.org_a, active=True)
        self.assertEqual(
            sorted(forms.values_list("form_id", "purpose")),
            sorted((f"hifazat_{name.removesuffix('.xlsx')}", purpose) for name, purpose in PURPOSES.items()),
        )
        self.assertTrue(CollectKey.objects.filter(user=self.a[Role.CASEWORKER]).exists())
        statuses = sorted(Submission.objects.values_list("status", flat=True))
        self.assertEqual(statuses, ["failed", "stored", "stored"])
        failed = Submission.objects.get(status="failed")
        self.assertIn("site_code", failed.error)
        # Five consenting members registered, each with their consent; the grandmother who declined is not.
        people = Person.objects.filter(organisation=self.org_a)
        self.assertEqual(people.count(), 5)
        self.assertFalse(people.filter(first_name="Hajra").exists())
        self.assertEqual(Consent.objects.filter(person__in=people).count(), 5)
        self.assertEqual(AuditEntry.objects.filter(object_type="people.person", action="create").count(), 5)
