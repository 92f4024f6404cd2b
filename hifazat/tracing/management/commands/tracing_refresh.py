"""Look for candidates again for every active tracing request, so that children registered (or given consent)
after a request was made reach the team's review list. Run it daily, or after a registration drive."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from hifazat.tracing.models import ACTIVE_STATUSES, TracingRequest
from hifazat.tracing.services import refresh_candidates


class Command(BaseCommand):
    help = "Look for candidates again for every active tracing request (new ones go on the review list)."

    def handle(self, *args, **options) -> None:
        requests = TracingRequest.objects.filter(status__in=ACTIVE_STATUSES).select_related(
            "organisation", "caseworker"
        )
        found = 0
        for request in requests.iterator():
            with transaction.atomic():
                found += len(refresh_candidates(request))
        self.stdout.write(f"Active requests looked at: {requests.count()}; new candidates to review: {found}")
