"""File the people registered before the key table existed under their blocking keys, in batches."""

from django.db import migrations

BATCH = 2000


def backfill(apps, schema_editor):
    from hifazat.people.duplicates import match_key_rows, record_for

    Person = apps.get_model("people", "Person")
    PersonMatchKey = apps.get_model("people", "PersonMatchKey")
    people = Person.objects.filter(is_active=True, merged_into__isnull=True).select_related("household")
    last = 0
    while True:
        batch = list(people.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            break
        PersonMatchKey.objects.bulk_create(
            [
                PersonMatchKey(person_id=person.pk, key=key, birth_year=year)
                for person in batch
                for key, year in match_key_rows([record_for(person)]).items()
            ],
            ignore_conflicts=True,
        )
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("people", "0002_duplicate_review_and_match_keys")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
