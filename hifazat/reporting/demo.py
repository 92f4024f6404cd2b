"""The reporting part's step of the demo scenario: ``build(demo)``, through the services the pages call.

When the caseworker opened each case she asked the person (a child's caregiver, with the child's own view) whether
the case may also be counted, anonymised, in statistics and research: the HTCDS export as CTDC publishes it
(``reporting.htcds``). About three in four agreed; the others are left out of that export. Then the response
dashboard's summaries are counted, as the scheduled job (``hifazat reporting_refresh``) does.
"""

from __future__ import annotations

from hifazat.cases.models import Case
from hifazat.people import services as people
from hifazat.people.models import Consent, ConsentPurpose

# The share of people with a case who agree to their case counting, anonymised, in statistics and research.
AGREES = 0.75


def build(demo) -> None:
    from hifazat.reporting.tasks import summaries_refresh

    caseworker = demo.actor("caseworker")
    cases = Case.objects.filter(organisation=caseworker.organisation).select_related("person").order_by("pk")
    asked = set()
    for case in cases:
        person = case.person
        if person is None or person.pk in asked:
            continue
        asked.add(person.pk)
        extra = {}
        if person.is_child:
            extra = {
                "given_by": Consent.GivenBy.CAREGIVER,
                "given_by_name": person.caregiver_name or "the head of household",
                "child_view": Consent.ChildView.AGREES,
            }
        people.consent_record(
            actor=caseworker,
            person=person,
            purpose=ConsentPurpose.ANONYMISED_DATA,
            status="given" if demo.rng.random() < AGREES else "declined",
            **extra,
        )
    summaries_refresh.call()
