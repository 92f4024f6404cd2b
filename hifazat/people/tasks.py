"""Background work of the people part."""

from __future__ import annotations

from django_tasks import task

from hifazat.matching.scoring import LIKELY_FROM
from hifazat.people.merge import duplicates_scan_person
from hifazat.people.models import Person


@task()
def duplicates_scan(person_uuid: str) -> int:
    """Add the likely duplicates of a newly registered or changed person to the review queue. A task, so that
    registration stays quick and a bulk import does not wait for thousands of candidate lookups. Only likely
    pairs are queued: in registers where a few names are very common, possible pairs would bury the real ones
    (the registration form still shows possible candidates before saving)."""
    person = Person.objects.filter(uuid=person_uuid, is_active=True, merged_into__isnull=True).first()
    return len(duplicates_scan_person(person, threshold=LIKELY_FROM)) if person is not None else 0


@task()
def duplicates_scan_many(person_uuids: list[str]) -> int:
    """``duplicates_scan`` for many people at once (a spreadsheet import's batch): one task per batch instead
    of one per person, the same scan for each."""
    people = Person.objects.filter(uuid__in=person_uuids, is_active=True, merged_into__isnull=True)
    return sum(len(duplicates_scan_person(person, threshold=LIKELY_FROM)) for person in people)
