"""The same submission sent twice at the same moment (Collect retrying on a slow network, or two phones sharing
an export): PostgreSQL only, as SQLite serialises writers and a race there proves nothing."""

from __future__ import annotations

from functools import partial

import pytest

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user, needs_postgresql, run_at_once
from hifazat.intake import services
from hifazat.intake.models import CollectKey, Purpose, Submission
from hifazat.intake.tests.base import ADULT, SHIPPED, household_xml
from hifazat.intake.tests.collect import Collect
from hifazat.people.models import Household, Person
from hifazat.people.testing import make_site

NAMES = ["Nasreen", "Gulalai", "Shabana", "Zarmina", "Parveen"]
# Family names too: given names alone, all with "Bibi", are what the duplicate check (issue 12) still confuses.
FAMILIES = ["Awan", "Qureshi", "Tanoli", "Swati", "Abbasi"]
ROUNDS = len(NAMES)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_one_submission_sent_twice_at_once_is_stored_once() -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    supervisor = make_user(organisation, Role.SUPERVISOR, "a-supervisor")
    caseworker = make_user(organisation, Role.CASEWORKER, "a-caseworker")
    make_site()
    services.form_upload(
        actor=Actor.for_user(supervisor),
        name="h.xlsx",
        content=SHIPPED,
        purpose=Purpose.HOUSEHOLD_REGISTRATION,
    )
    key = CollectKey.objects.create(user=caseworker, secret_sha256=services.secret_sha256("secret"))
    phones = [
        Collect(
            server_url=f"https://testserver/collect/{key.token}", username="a-caseworker", password="secret"
        )
        for _ in range(2)
    ]
    for phone in phones:
        phone.preflight()
    for round_ in range(ROUNDS):
        # Different people each round (no likely duplicates of one another).
        person = {
            **ADULT,
            "first_name": NAMES[round_],
            "second_name": FAMILIES[round_],
            "age_years": str(20 + 9 * round_),
            "phone": "",
        }
        xml = household_xml(members=[person])
        parts = [("xml_submission_file", "submission.xml", "text/xml", xml)]
        first, second = run_at_once(*(partial(phone.post, parts) for phone in phones))
        assert sorted([first.status_code, second.status_code]) == [201, 202], (round_, first, second)
    assert Submission.objects.count() == ROUNDS
    assert set(Submission.objects.values_list("status", flat=True)) == {Submission.Status.STORED}
    assert Household.objects.count() == ROUNDS
    assert Person.objects.count() == ROUNDS
