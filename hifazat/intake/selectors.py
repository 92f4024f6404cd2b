"""What of the field intake each user may see: their organisation's forms and submissions."""

from __future__ import annotations

from django.db.models import QuerySet

from hifazat.core.audit import Actor
from hifazat.intake.models import Submission, XForm


def forms_visible_to(actor: Actor | None) -> QuerySet[XForm]:
    """The organisation's forms, for those who publish them (``intake.forms``)."""
    if actor is None or not actor.can("intake.forms"):
        return XForm.objects.none()
    return XForm.objects.filter(organisation=actor.organisation)


def submissions_visible_to(actor: Actor | None) -> QuerySet[Submission]:
    """The organisation's submissions, for whoever corrects them (``intake.fix``): they hold personal data."""
    if actor is None or not actor.can("intake.fix"):
        return Submission.objects.none()
    return Submission.objects.filter(organisation=actor.organisation).select_related("form")
