"""What notifications adds to other parts: its menu entry and the unread count in the page shell."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hifazat.core.audit import Actor
from hifazat.core.context_processors import SHELL_CONTEXT
from hifazat.core.navigation import NAVIGATION, Section
from hifazat.notifications.selectors import unread_count

NAVIGATION.register(
    Section(
        _("My work"),
        "notifications:work",
        "notifications.view",
        _("Everything waiting for you"),
        weight=10,
    )
)


@SHELL_CONTEXT.register
def unread_notifications(actor: Actor) -> dict:
    return {"unread_notifications": unread_count(actor)}
