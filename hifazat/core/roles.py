"""The roles a member of an organisation can hold.

Roles live in core, not accounts, because the permission matrix (``core.permissions``) is written in their terms
and every part checks it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    SUPERVISOR = "supervisor", _("Supervisor")
    CASEWORKER = "caseworker", _("Caseworker")
    MONITORING_FOCAL_POINT = "monitoring_focal_point", _("Monitoring focal point")
    NETWORK_REPORTER = "network_reporter", _("Network reporter")
    CAMPAIGN_COORDINATOR = "campaign_coordinator", _("Campaign coordinator")
    LIVELIHOOD_OFFICER = "livelihood_officer", _("Livelihood officer")
    ANALYST = "analyst", _("Analyst")
    DONOR_VIEWER = "donor_viewer", _("Donor viewer")
