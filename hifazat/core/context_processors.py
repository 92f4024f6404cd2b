from hifazat.core.navigation import menu_for


def shell(request):
    """What the page shell needs on every page: the navigation for the user's role, the number of unread
    notifications, and the text direction."""
    actor = getattr(request, "actor", None)
    unread = 0
    if actor is not None:
        from hifazat.notifications.selectors import unread_count

        unread = unread_count(actor)
    return {"nav_groups": menu_for(actor), "actor": actor, "unread_notifications": unread}
