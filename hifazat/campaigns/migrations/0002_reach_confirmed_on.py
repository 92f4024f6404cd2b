# Reach keeps "handed over" apart from "delivered": a session's reach is confirmed on the session's day (the
# person was there); a text message's only when a delivery report says so. Added nullable, backfilled for the
# session rows in batches, then the constraint.

from django.db import migrations, models

BATCH = 5000


def confirm_session_reach(apps, schema_editor):
    Reach = apps.get_model("campaigns", "Reach")
    rows = Reach.objects.filter(via="session", confirmed_on__isnull=True)
    while True:
        batch = list(rows.values_list("pk", flat=True)[:BATCH])
        if not batch:
            break
        Reach.objects.filter(pk__in=batch).update(confirmed_on=models.F("reached_on"))


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reach",
            name="confirmed_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(confirm_session_reach, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="reach",
            constraint=models.CheckConstraint(
                condition=models.Q(("via", "session"), _negated=True)
                | models.Q(("confirmed_on__isnull", False)),
                name="reach_session_confirmed",
            ),
        ),
    ]
