"""Normalised forms of the traces a report names, so that the same phone, plate or name written differently is
one entity. Each function returns ``(value, display)`` pairs, or nothing for text that is not such a trace.

- Phone numbers: E.164 through the registry's own ``people.normalise.normalise_phone`` (0300-1234567,
  0300 1234567, +92 300 1234567, 923001234567, 00923001234567 and 300 1234567 are all +923001234567), after
  Urdu (Extended Arabic-Indic) digits are read as digits.
- Vehicle plates: letters and digits only, upper case, with O and I in the number part read as 0 and 1
  (LEA-1234, lea 1234 and LEA.1234 are LEA1234).
- Names: the registry's script-independent name skeletons (``matching.names``), sorted, so that spelling
  variants, Urdu script and name order meet (Javed Iqbal, Jawed Iqbal, Iqbal Javed and جاوید اقبال). A name
  needs two parts, one of them not among the commonest (Muhammad Ali alone would link half the reports).
- Employers and agencies: words in lower case, sorted, without the words every agency name has.
- Destinations: words in lower case. They are shown in the network but do not join clusters (``LINKING_KINDS``):
  "Lahore" is where half the offers point.
"""

from __future__ import annotations

import re
import unicodedata

from hifazat.matching.blocking import COMMON, TITLES
from hifazat.matching.names import DROP, match_tokens, skeleton, transliterate
from hifazat.people.normalise import normalise_phone

# Entities of these kinds join the reports that name them into one cluster.
LINKING_KINDS = ("phone", "plate", "name", "employer")
# And these are the traces the shared-trace alert rule watches.
ALERT_KINDS = ("phone", "plate", "name")

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_SPLIT = re.compile(r"[\n;,،]+")
AGENCY_WORDS = frozenset(
    {
        "the",
        "and",
        "of",
        "pvt",
        "private",
        "ltd",
        "limited",
        "co",
        "company",
        "agency",
        "agencies",
        "services",
    }
)


def split_lines(text: str) -> list[str]:
    """The traces in a text box: one per line, or separated by commas or semicolons."""
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


def phone_value(text: str) -> str:
    return normalise_phone((text or "").translate(_DIGITS))


def plate_value(text: str) -> str:
    """``LEA1234`` from LEA-1234, lea 1234, LEA.1234; the letters first, then the number part with O and I read
    as digits. Empty for text with no digit (not a plate)."""
    compact = re.sub(r"[^A-Z0-9]", "", unicodedata.normalize("NFKC", (text or "").translate(_DIGITS)).upper())
    found = re.match(r"([A-Z]*)(.*)", compact)
    letters, rest = (found.group(1), found.group(2)) if found else ("", compact)
    # After the series letters comes the number, where an O or an I is a mistyped 0 or 1.
    rest = rest.replace("O", "0").replace("I", "1")
    value = letters + rest
    if not re.search(r"\d", value) or not 3 <= len(value) <= 16:
        return ""
    return value


def name_value(text: str) -> str:
    """Sorted name skeletons, ``n:``-style: empty for a single name or a name made only of common names."""
    words = [t for t in match_tokens(text or "") if t not in TITLES and t not in DROP]
    skeletons = sorted({skeleton(t) for t in words if skeleton(t)})
    if len(skeletons) < 2 or all(t in COMMON for t in words):
        return ""
    return " ".join(skeletons)[:200]


def _words(text: str) -> list[str]:
    text = transliterate(text or "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).split()


def employer_value(text: str) -> str:
    words = sorted({w for w in _words(text) if w not in AGENCY_WORDS})
    return " ".join(words)[:200]


def destination_value(text: str) -> str:
    return " ".join(_words(text))[:200]


VALUE = {
    "phone": phone_value,
    "plate": plate_value,
    "name": name_value,
    "employer": employer_value,
    "destination": destination_value,
}


def entities_in(kind: str, text: str) -> list[tuple[str, str]]:
    """``(value, as written)`` for each trace of ``kind`` in ``text``, once each, in the order written."""
    out: dict[str, str] = {}
    for written in split_lines(text):
        value = VALUE[kind](written)
        if value:
            out.setdefault(value, written[:200])
    return list(out.items())
