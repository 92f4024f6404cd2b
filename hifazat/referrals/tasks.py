"""Background work of the referrals part."""

from __future__ import annotations

from django_tasks import task

from hifazat.referrals.services import referrals_mark_overdue


@task()
def referrals_check_overdue() -> int:
    """Mark referrals that got no answer by their due time and tell both sides. Run it every hour or so: enqueue
    it from a scheduler, or run ``hifazat referrals_check_overdue`` from cron; running it more often tells nobody
    twice."""
    return referrals_mark_overdue()
