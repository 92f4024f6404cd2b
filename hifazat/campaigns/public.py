"""The public awareness page: no sign-in, English and Urdu, light enough for a slow phone connection.

Its content is only the approved public-page versions of key messages (``selectors.public_versions``); drafts and
versions waiting for review never appear. It links to the monitoring part's anonymous tip form when that route
exists, and otherwise tells the reader to use the hotline. No Chart.js, no Bootstrap, one small stylesheet and the
phone's own fonts.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from .languages import for_interface
from .models import Topic
from .selectors import public_versions


def _language(request) -> str:
    asked = request.GET.get("lang", "")
    return asked if asked in dict(settings.LANGUAGES) else translation.get_language()


@require_GET
def public(request):
    language = _language(request)
    with translation.override(language):
        versions = public_versions(for_interface(language))
        sections = []
        for topic, label in Topic.choices:
            texts = [v for v in versions if v.message.topic == topic]
            if texts:
                sections.append({"topic": topic, "title": label, "versions": texts})
        response = render(
            request,
            "campaigns/public.html",
            {
                "language": language,
                "rtl": translation.get_language_bidi(),
                "sections": [s for s in sections if s["topic"] != Topic.HOTLINE],
                "hotlines": next((s["versions"] for s in sections if s["topic"] == Topic.HOTLINE), []),
                "tip_url": reverse("monitoring:tip"),
                "other_languages": [(code, name) for code, name in settings.LANGUAGES if code != language],
            },
        )
    response["Content-Language"] = language
    if not request.user.is_authenticated:
        # The same page for every visitor in a language: shared caches may keep it for a while.
        patch_cache_control(response, public=True, max_age=300)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response
