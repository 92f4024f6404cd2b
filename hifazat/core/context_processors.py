from hifazat.core import hooks
from hifazat.core.navigation import menu_for

SHELL_CONTEXT = hooks.define(
    "core.shell_context",
    """``source(actor) -> dict``: more names for the page shell of a signed-in member (notifications: the
    number of unread notifications, ``unread_notifications``). A source returns only what ``actor`` may see.""",
)


def shell(request):
    """What the page shell needs on every page: the navigation for the user's role, what the parts add (the
    number of unread notifications), and the text direction."""
    actor = getattr(request, "actor", None)
    context = {"nav_groups": menu_for(actor), "actor": actor, "unread_notifications": 0}
    if actor is not None:
        for source in SHELL_CONTEXT:
            context.update(source(actor))
    return context
