"""File the people registered before the review queue's whole-name keys (``matching.blocking.queue_keys``: ``w:``
for a person without a father's or husband's name, ``x:`` for one with it) under them. The same backfill as 0008:
it files every queue key a person should have, and the key table's uniqueness keeps those already filed once."""

from importlib import import_module

from django.db import migrations

backfill = import_module("hifazat.people.migrations.0008_backfill_queue_match_keys").backfill


class Migration(migrations.Migration):
    dependencies = [("people", "0008_backfill_queue_match_keys")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
