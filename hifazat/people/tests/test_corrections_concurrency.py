"""Two officers correcting one person at the same moment, with real concurrent requests (PostgreSQL only:
SQLite serialises writers, so a race there proves nothing)."""

from __future__ import annotations

from functools import partial

import pytest

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase, make_organisation, make_user, needs_postgresql, run_at_once
from hifazat.core.versioning import CONFLICT_MESSAGE
from hifazat.people import services
from hifazat.people.models import Person
from hifazat.people.testing import make_site
from hifazat.people.tests.test_corrections import edit_form

ROUNDS = 20
NAMES = ("Nasrin", "Nasreen")
STATUSES = ("Widowed", "Married")
JSON = "application/json"


def outcome(response, *, success: int, conflict: int) -> str:
    """ "ok" or "conflict"; anything else fails the test (a 500, a deadlock, a half-written edit)."""
    if response.status_code == success:
        return "ok"
    if response.status_code == conflict:
        text = response.content.decode()
        if conflict == 409 or str(CONFLICT_MESSAGE).split(",")[0] in text:
            return "conflict"
    raise AssertionError(f"unexpected answer {response.status_code}: {response.content[:300]!r}")


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_officers_correcting_different_fields_at_once_keep_both_or_get_one_clear_conflict() -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    caseworker = make_user(organisation, Role.CASEWORKER, "cw-race")
    supervisor = make_user(organisation, Role.SUPERVISOR, "sup-race")
    actor = Actor.for_user(caseworker)
    household = services.household_register(actor=actor, site=make_site(), shelter_number="T-1")
    person = services.person_register(
        actor=actor,
        household=household,
        first_name="Nasreen",
        second_name="Bibi",
        gender="Feminine",
        age_years=30,
        marital_status="Married",
        relationship_to_head="head",
    )
    # Signed in before the race: force_login and the second factor write sessions and devices.
    pages = [HifazatTestCase.client_for(None, user) for user in (caseworker, supervisor)]
    apis = [HifazatTestCase.token_client(None, user) for user in (caseworker, supervisor)]
    url = f"/people/{person.uuid}/edit/"
    api_url = f"/api/v1/people/{person.uuid}/"
    seen = {"ok": 0, "conflict": 0}
    for round_ in range(ROUNDS):
        person = Person.objects.get(pk=person.pk)
        before = (person.first_name, person.marital_status)
        # Each officer changes their field from what it is now, so that both edits write.
        name = NAMES[0] if person.first_name != NAMES[0] else NAMES[1]
        status = STATUSES[0] if person.marital_status != STATUSES[0] else STATUSES[1]
        if round_ % 2 == 0:  # the edit pages, both loaded before either officer saves
            name_form = edit_form(person, first_name=name)
            status_form = edit_form(person, marital_status=status)
            answers = run_at_once(
                partial(pages[0].post, url, name_form), partial(pages[1].post, url, status_form)
            )
            results = [outcome(answer, success=302, conflict=200) for answer in answers]
        else:  # the API, without a version: only the save's compare-and-swap stands between them
            answers = run_at_once(
                partial(apis[0].patch, api_url, {"first_name": name}, content_type=JSON),
                partial(apis[1].patch, api_url, {"marital_status": status}, content_type=JSON),
            )
            results = [outcome(answer, success=200, conflict=409) for answer in answers]
        for result in results:
            seen[result] += 1
        after = Person.objects.get(pk=person.pk)
        expected_name = name if results[0] == "ok" else before[0]
        expected_status = status if results[1] == "ok" else before[1]
        assert results != ["conflict", "conflict"], f"round {round_}: both refused"
        assert (after.first_name, after.marital_status) == (expected_name, expected_status), (
            f"round {round_}: {results}, {before} -> {(after.first_name, after.marital_status)}"
        )
        groups = set(after.vulnerabilities.values_list("group", flat=True))
        assert ("separated_or_widowed_woman" in groups) == (after.marital_status == "Widowed"), round_
    assert seen["ok"] >= ROUNDS
