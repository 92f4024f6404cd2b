"""What screening adds to other parts: its menu entries, the person's screenings on their timeline, and the
person list's risk band filter."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from hifazat.core.navigation import NAVIGATION, Section
from hifazat.people.models import Person
from hifazat.people.selectors import RISK_BAND_FILTER, TIMELINE_SOURCES
from hifazat.screening.models import Screening
from hifazat.screening.selectors import timeline_events

NAVIGATION.register(
    Section(_("Follow-ups"), "screening:followup_list", "screening.view", _("The follow-up queue"), weight=60)
)
NAVIGATION.register(
    Section(_("Screenings"), "screening:screening_list", "screening.view", _("Risk screening"), weight=70)
)
TIMELINE_SOURCES.register(timeline_events)


@RISK_BAND_FILTER.register
def with_risk_band(people: QuerySet[Person], band: str) -> QuerySet[Person]:
    """People whose latest screening is in ``band`` ("none": never screened)."""
    latest = Screening.objects.filter(person=OuterRef("pk")).order_by("-screened_at").values("band")[:1]
    people = people.annotate(risk_band=Subquery(latest))
    return people.filter(risk_band__isnull=True) if band == "none" else people.filter(risk_band=band)
