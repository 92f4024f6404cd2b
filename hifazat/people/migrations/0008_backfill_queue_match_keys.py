"""File the people registered before the review queue had keys of its own (``matching.blocking.queue_keys``: the
whole name with the father's first name or the day of birth) under them, in batches, with the keys of the
records merged into them, as ``people.duplicates.refresh_match_keys`` files them."""

from django.db import migrations

BATCH = 2000


def backfill(apps, schema_editor):
    from hifazat.matching.blocking import queue_keys
    from hifazat.people.duplicates import record_for

    Person = apps.get_model("people", "Person")
    PersonMatchKey = apps.get_model("people", "PersonMatchKey")
    people = Person.objects.filter(is_active=True, merged_into__isnull=True).select_related("household")
    last = 0
    while True:
        batch = list(people.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            break
        merged = {}
        for other in Person.objects.filter(merged_into__in=batch).select_related("household").order_by("pk"):
            merged.setdefault(other.merged_into_id, []).append(other)
        rows = {}
        for person in batch:
            for record in [record_for(person), *(record_for(other) for other in merged.get(person.pk, []))]:
                for key in queue_keys(record):
                    rows.setdefault((person.pk, key), record.birth_year)
        PersonMatchKey.objects.bulk_create(
            [PersonMatchKey(person_id=pk, key=key, birth_year=year) for (pk, key), year in rows.items()],
            ignore_conflicts=True,
        )
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("people", "0007_consent_purpose_anonymised_data")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
