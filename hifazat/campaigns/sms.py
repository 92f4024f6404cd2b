"""How long a text message is, as phones count it: a pure function, no database.

A message in the GSM 03.38 default alphabet is packed in 7-bit units: 160 fit in one message, and a message in
parts carries 153 per part (the rest of each part holds the header that joins them). The extension table (``^ { }
\\ [ ~ ] | €`` and form feed) is reached through an escape, so each of those characters takes two units, and a
phone never splits the escape from its character across two parts. One character outside the alphabet (an Urdu
letter, a curly quote) switches the whole message to UCS-2: 70 characters in one message, 67 per part, counted in
UTF-16 code units, so a character outside the Basic Multilingual Plane (an emoji) takes two and is not split.
"""

from __future__ import annotations

from dataclasses import dataclass

# The GSM 03.38 default alphabet, in code order (0x1B, the escape, is left out: it is not a character).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each is sent as the escape and one more unit.
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class SmsLength:
    """``units``: 7-bit units (GSM-7) or UTF-16 code units (UCS-2); ``parts``: messages the phone sends;
    ``remaining``: units left in the last part before another part is needed."""

    encoding: str
    characters: int
    units: int
    parts: int
    per_part: int
    remaining: int

    @property
    def is_unicode(self) -> bool:
        return self.encoding == "UCS-2"


def _gsm_cost(character: str) -> int | None:
    if character in GSM_BASIC:
        return 1
    if character in GSM_EXTENSION:
        return 2
    return None


def sms_length(text: str) -> SmsLength:
    """The encoding, units and number of parts of ``text`` as a phone sends it (empty text: no part)."""
    gsm_costs = [_gsm_cost(character) for character in text]
    if all(cost is not None for cost in gsm_costs):
        encoding, costs, single, per_part = "GSM-7", gsm_costs, GSM_SINGLE, GSM_PART
    else:
        encoding, single, per_part = "UCS-2", UCS2_SINGLE, UCS2_PART
        costs = [2 if ord(character) > 0xFFFF else 1 for character in text]
    units = sum(costs)
    if units == 0:
        return SmsLength(encoding, 0, 0, 0, single, single)
    if units <= single:
        return SmsLength(encoding, len(text), units, 1, single, single - units)
    # Several parts: fill each part without splitting a character's units (an escape pair, a surrogate pair).
    parts, used = 1, 0
    for cost in costs:
        if used + cost > per_part:
            parts, used = parts + 1, 0
        used += cost
    return SmsLength(encoding, len(text), units, parts, per_part, per_part - used)
