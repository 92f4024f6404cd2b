from hifazat.core.navigation import navigation_for


def shell(request):
    """What the page shell needs on every page: the navigation for the user's role and the text direction."""
    actor = getattr(request, "actor", None)
    return {"nav_sections": navigation_for(actor), "actor": actor}
