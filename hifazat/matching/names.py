"""Name normalisation for search and matching: spelling variants, Urdu script, phonetic keys.

Spelling variants are most of the noise in registers of the region (Muhammad, Mohammad, Mohd, Muhammed; Bibi,
Bi), and the same person may be written in Urdu script by one registrar and in Latin letters by another. Every
name is brought to canonical Latin tokens first; the phonetic key of a token is then its consonant skeleton with
sounds that registrars confuse merged, so that small spelling differences give the same key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Urdu script to Latin letters, letter by letter. Short vowels are not written in Urdu, so the Latin side is a
# consonant skeleton with long vowels, which is what the phonetic key compares.
URDU_TO_LATIN = {
    "ا": "a",
    "آ": "a",
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ٹ": "t",
    "ث": "s",
    "ج": "j",
    "چ": "ch",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ڈ": "d",
    "ذ": "z",
    "ر": "r",
    "ڑ": "r",
    "ز": "z",
    "ژ": "zh",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "z",
    "ط": "t",
    "ظ": "z",
    "ع": "a",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ک": "k",
    "ك": "k",
    "گ": "g",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ں": "n",
    "و": "o",
    "ہ": "h",
    "ھ": "h",
    "ۃ": "h",
    "ة": "h",
    "ء": "",
    "ی": "i",
    "ي": "i",
    "ے": "e",
    "ئ": "i",
    "ۓ": "e",
    "ؤ": "o",
    "ه": "h",
    "ى": "i",
}

# Canonical spellings of common names and particles. Keys are lower-case Latin forms seen in registers.
VARIANTS = {
    **dict.fromkeys(
        [
            "muhammad",
            "mohammad",
            "mohammed",
            "muhammed",
            "mohamed",
            "mohamad",
            "muhamad",
            "mohd",
            "muhd",
            "md",
            "mohammd",
            "mhmd",
            "mohamd",
            "muhmmad",
        ],
        "muhammad",
    ),
    **dict.fromkeys(["bibi", "bi", "bb", "bibee"], "bibi"),
    **dict.fromkeys(["begum", "begam", "baigum", "bgm"], "begum"),
    **dict.fromkeys(["khatoon", "khatun", "khaton"], "khatoon"),
    **dict.fromkeys(["noor", "nur", "nour"], "noor"),
    **dict.fromkeys(["abdul", "abdal", "abdel", "abd", "abdull"], "abdul"),
    **dict.fromkeys(["ahmad", "ahmed", "ehmad", "ahmd"], "ahmad"),
    **dict.fromkeys(["hussain", "husain", "hussein", "hosain", "husayn", "hassain"], "hussain"),
    **dict.fromkeys(["fatima", "fatimah", "fatma", "fatema"], "fatima"),
    **dict.fromkeys(["ayesha", "aisha", "aysha", "ayisha", "aishah"], "ayesha"),
    **dict.fromkeys(["zainab", "zenab", "zaynab", "zeinab"], "zainab"),
    **dict.fromkeys(["khan", "khaan"], "khan"),
    **dict.fromkeys(["ullah", "ulla", "ulah"], "ullah"),
}
# Titles and words that are not part of a name in registers ("Mst." = Mussammat, "Mr", "s/o").
DROP = {
    "mst",
    "mussammat",
    "musammat",
    "mr",
    "mrs",
    "ms",
    "miss",
    "haji",
    "hajji",
    "so",
    "do",
    "wo",
    "bin",
    "bint",
    "urf",
    "alias",
}

# Sounds that registrars write in several ways, merged before vowels are dropped. Order matters.
PHONETIC_RULES = [
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("sh", "s"),
    ("ch", "c"),
    ("th", "t"),
    ("dh", "d"),
    ("zh", "z"),
    ("q", "k"),
    ("ck", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("ee", "i"),
    ("oo", "u"),
    ("y", "i"),
]


def _is_urdu(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def transliterate(text: str) -> str:
    """Urdu script to rough Latin letters (a consonant skeleton with long vowels); other text unchanged."""
    if not _is_urdu(text):
        return text
    return "".join(URDU_TO_LATIN.get(ch, ch if ch.isspace() or ch.isascii() else "") for ch in text)


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[str, ...]:
    """Canonical lower-case Latin tokens of a name, titles dropped, variants merged."""
    if not text:
        return ()
    text = transliterate(text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z]+", " ", text)
    out = []
    for token in text.split():
        token = VARIANTS.get(token, token)
        if token and token not in DROP:
            out.append(token)
    return tuple(out)


@lru_cache(maxsize=65536)
def phonetic(token: str) -> str:
    """The consonant skeleton of one canonical token: first letter kept, vowels and h dropped, repeats folded."""
    if not token:
        return ""
    word = token
    for old, new in PHONETIC_RULES:
        word = word.replace(old, new)
    first, rest = word[0], word[1:]
    skeleton = first + "".join(ch for ch in rest if ch not in "aeiouh")
    return re.sub(r"(.)\1+", r"\1", skeleton)


def name_tokens(*parts: str) -> tuple[str, ...]:
    """Canonical tokens of several name parts together (first name, family name, in either script)."""
    out: list[str] = []
    for part in parts:
        out.extend(tokens(part))
    return tuple(out)


def name_key(*parts: str) -> str:
    """Order-free canonical key: the sorted unique canonical tokens. "Khan Muhammad" = "Mohd Khan"."""
    return " ".join(sorted(set(name_tokens(*parts))))


def phonetic_key(*parts: str) -> str:
    """Order-free phonetic key: the sorted unique phonetic skeletons of the tokens."""
    return " ".join(sorted({phonetic(t) for t in name_tokens(*parts)}))


# --- Keys for matching ------------------------------------------------------------------------------------------
# ``phonetic`` keeps the first letter as written, which is right within one script but not across them: Urdu
# writes every initial vowel with alif or ain (عمران, Imran; عثمان, Usman), and waw is a vowel (جاوید, Javed)
# where Latin writes a consonant. ``skeleton`` folds those differences, so that a name in Urdu script and the
# same name in Latin letters give the same key. It is coarser than ``phonetic``: keys find candidates, and the
# scoring (``matching.scoring``) tells them apart.

_URDU_LETTER = "[\u0600-\u06ff]"
# At the start of a word, yeh and waw are the consonants y and w (a vowel there is written with alif or ain).
_URDU_INITIAL = {"ی": "y", "ي": "y", "و": "w"}


@lru_cache(maxsize=65536)
def match_tokens(text: str) -> tuple[str, ...]:
    """Canonical tokens as :func:`tokens` gives them, with word-initial Urdu yeh and waw read as y and w."""
    if text and _is_urdu(text):
        text = re.sub(rf"(?<!{_URDU_LETTER})[یيو]", lambda found: _URDU_INITIAL[found.group()], text)
    return tokens(text)


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """A script-independent consonant key of one canonical token: sounds merged as in :func:`phonetic`, any
    initial vowel written "a", w and v dropped after the first letter, repeats folded. Javed and جاوید give
    "jd"; Imran and عمران give "amrn"."""
    if not token:
        return ""
    word = token[0] + token[1:].replace("y", "i") if token[0] == "y" else token.replace("y", "i")
    for old, new in PHONETIC_RULES:
        if old != "y":
            word = word.replace(old, new)
    first = "a" if word[0] in "aeiou" else word[0]
    rest = "".join(ch for ch in word[1:] if ch not in "aeiouhvw")
    return re.sub(r"(.)\1+", r"\1", first + rest)
