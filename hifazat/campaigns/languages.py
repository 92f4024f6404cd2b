"""The languages key messages are written in.

Codes are ISO 639-3, as the registry records a person's primary language and as RapidPro's contact import reads
its ``Language`` column. The list in force is ``settings.HIFAZAT_CAMPAIGN_LANGUAGES`` (codes, in the order the
pages show them) when it is set, otherwise all of ``KNOWN``: a response in the Pashto-speaking districts adds
``pus`` without a code change, one that works only in Urdu and English narrows the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MessageLanguage:
    code: str
    name: str | Promise
    native: str
    rtl: bool
    # The interface language (settings.LANGUAGES) whose public page shows this language's messages, if any.
    interface: str = ""


KNOWN: dict[str, MessageLanguage] = {
    language.code: language
    for language in (
        MessageLanguage("urd", _("Urdu"), "اردو", rtl=True, interface="ur"),
        MessageLanguage("eng", _("English"), "English", rtl=False, interface="en"),
        MessageLanguage("pus", _("Pashto"), "پښتو", rtl=True),
        MessageLanguage("hno", _("Hindko"), "ہندکو", rtl=True),
        MessageLanguage("pan", _("Punjabi"), "پنجابی", rtl=True),
    )
}


def languages() -> list[MessageLanguage]:
    codes = getattr(settings, "HIFAZAT_CAMPAIGN_LANGUAGES", None) or list(KNOWN)
    unknown = [code for code in codes if code not in KNOWN]
    if unknown:
        raise ImproperlyConfigured(
            f"HIFAZAT_CAMPAIGN_LANGUAGES names languages this part does not know: {unknown}; "
            f"choose from {sorted(KNOWN)} or add them to hifazat.campaigns.languages.KNOWN"
        )
    return [KNOWN[code] for code in codes]


def language_choices() -> list[tuple[str, str]]:
    return [(language.code, f"{language.name} ({language.native})") for language in languages()]


def language_name(code: str) -> str:
    language = KNOWN.get(code)
    return str(language.name) if language else code


def for_interface(interface_code: str) -> str:
    """The message language shown on the public page in interface language ``interface_code`` ("" if none)."""
    return next((lang.code for lang in languages() if lang.interface == interface_code), "")
