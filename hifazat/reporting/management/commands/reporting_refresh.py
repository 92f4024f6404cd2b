"""``hifazat reporting_refresh``: rebuild the response dashboard's summaries (safe to run often)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from hifazat.reporting.tasks import summaries_refresh


class Command(BaseCommand):
    help = "Count every organisation's records again into the response dashboard's summary."

    def handle(self, *args, **options) -> None:
        built = summaries_refresh.call()
        self.stdout.write(f"{built} summaries rebuilt.")
