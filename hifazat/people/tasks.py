"""Background work of the people part."""

from __future__ import annotations

from django_tasks import task

from hifazat.people.merge import duplicates_scan_person
from hifazat.people.models import Person


@task()
def duplicates_scan(person_uuid: str) -> int:
    """Add the suspected duplicates of a newly registered or changed person to the review queue. A task, so that
    registration stays quick and a bulk import does not wait for thousands of candidate lookups."""
    person = Person.objects.filter(uuid=person_uuid, is_active=True, merged_into__isnull=True).first()
    return len(duplicates_scan_person(person)) if person is not None else 0
