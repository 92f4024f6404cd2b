"""Cleaning of text people type or import: invisible characters that change how a name or code reads.

A bidi override (U+202E) makes ``ABC-123`` display as ``321-CBA``; an embedding or isolate hides where a
name ends; control characters break exports, logs and the pages that show them. Single-line text (names,
codes, titles) keeps none of them; multi-line text keeps its line breaks and tabs but loses the other control
characters and the overrides, embeddings and isolates.

Urdu letters and digits (U+0600–U+06FF, U+0750–U+077F, the Urdu digits U+06F0–U+06F9) are untouched; so are
the zero-width joiner and non-joiner, which Urdu spelling needs.
"""

from __future__ import annotations

import re

# Left-to-right/right-to-left embeddings and overrides, the pop (U+202A–U+202E), and the isolates
# (U+2066–U+2069): they reorder what follows them.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Direction marks: harmless in running Urdu prose, but in a name or a code they only hide differences.
BIDI_MARKS = "\u200e\u200f\u061c"

# C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F).
_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)])
_LINE_BREAKS = "\t\n\r\x0b\x0c\x85"

_SINGLE_LINE = re.compile("[" + re.escape(_CONTROLS + BIDI_CONTROLS + BIDI_MARKS) + "]")
_SINGLE_LINE_SPACES = re.compile("[" + re.escape(_LINE_BREAKS) + "]")
_MULTI_LINE = re.compile(
    "[" + re.escape("".join(c for c in _CONTROLS if c not in "\t\n\r") + BIDI_CONTROLS) + "]"
)


def clean_line(value: str) -> str:
    """One line of text (a name, a code, a title) without control, bidi override, isolate or mark
    characters. A tab or line break becomes a space, so that two words do not run together."""
    if not value:
        return value
    return _SINGLE_LINE.sub("", _SINGLE_LINE_SPACES.sub(" ", value))


def clean_text(value: str) -> str:
    """Multi-line text (a note, a description): keeps line breaks and tabs, drops the other control
    characters and the bidi overrides, embeddings and isolates."""
    if not value:
        return value
    return _MULTI_LINE.sub("", value)


def in_reader_language(name: str, name_ur: str = "") -> str:
    """A name recorded in English and, where known, in Urdu (areas, sites, programmes, providers): the Urdu one
    while Urdu is active, the English one otherwise."""
    from django.utils import translation

    if name_ur and (translation.get_language() or "").split("-")[0] == "ur":
        return name_ur
    return name


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def isolated(value: str) -> str:
    """A value set into a generated sentence, isolated so that the sentence around it cannot reorder it: right to
    left if it holds Urdu (or other right-to-left) letters, left to right otherwise (a date, an age, a Latin
    name, "~2017"; a first-strong isolate would leave a value without letters to the Urdu around it)."""
    opening = "\u2067" if _RIGHT_TO_LEFT.search(value) else "\u2066"
    return f"{opening}{value}\u2069"
