"""``hifazat referrals_check_overdue``: mark overdue referrals and notify both sides (safe to run often)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from hifazat.referrals.services import referrals_mark_overdue


class Command(BaseCommand):
    help = "Mark referrals that got no answer by their due time, and notify the sender and the receiver."

    def handle(self, *args, **options) -> None:
        marked = referrals_mark_overdue()
        self.stdout.write(f"{marked} referrals marked overdue.")
