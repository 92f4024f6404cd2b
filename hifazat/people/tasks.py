"""Background work of the people part."""

from __future__ import annotations

from django_tasks import task

from hifazat.accounts.models import Organisation
from hifazat.core.models import Job
from hifazat.matching.scoring import LIKELY_FROM
from hifazat.people.batch_dedup import duplicates_batch, duplicates_batch_job
from hifazat.people.models import Person
from hifazat.people.review_queue import duplicates_scan_person


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
    """``duplicates_scan`` for many people at once (a spreadsheet import's batch): one batch de-duplication of
    those people (``batch_dedup``), which raises the pairs that scanning each would, reading the registry once
    instead of once per person. Returns the number of pairs at the queue's threshold."""
    by_organisation: dict[int, set[int]] = {}
    people = Person.objects.filter(uuid__in=person_uuids, is_active=True, merged_into__isnull=True)
    for organisation, pk in people.values_list("organisation_id", "pk"):
        by_organisation.setdefault(organisation, set()).add(pk)
    return sum(
        duplicates_batch(organisation=organisation, person_ids=ids, threshold=LIKELY_FROM).queued
        for organisation, ids in (
            (Organisation.objects.get(pk=pk), ids) for pk, ids in sorted(by_organisation.items())
        )
    )


@task()
def duplicates_batch_run(job_uuid: str) -> None:
    """The work of a batch de-duplication job (``batch_dedup.duplicates_batch_start``)."""
    job = Job.objects.select_related("created_by", "organisation").get(uuid=job_uuid)
    duplicates_batch_job(job)
