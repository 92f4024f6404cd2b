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


# --- Comparing two tokens, knowing their scripts -----------------------------------------------------------------
# Two tokens with the same consonant skeleton are not always one name: Hassan and Hussain, Shahid and Saeed,
# Saima and Shamim, Nadia and Naheed, Mehmood and Muhammad share a skeleton and are different names. What tells
# them apart is the vowels and the "h" that the skeleton drops. Between two Latin spellings the vowels must agree
# in kind (a short "e" may stand for "a" or "i", "o" for "u") and the consonants with "h" must be the same. Urdu
# script writes long vowels (alif, waw, yeh) and leaves short ones out, so a Latin spelling is read as the
# patterns of Urdu letters it allows (a short vowel may be missing, a long one must be there) and the Urdu token
# must be one of them. A shared skeleton that passes neither test is only weak evidence (``CONSONANTS``).

EXACT, VARIANT, CONSONANTS, SIMILAR, NONE = 4, 3, 2, 1, 0

_CONSONANT_RULES = [(old, new) for old, new in PHONETIC_RULES if old not in {"ee", "oo", "y", "w"}]
_VOWELS = "aeiou"


def _latin_form(token: str) -> str:
    word = token
    for old, new in _CONSONANT_RULES:
        word = word.replace(old, new)
    word = re.sub(r"(?<=[aeiou])h$", "", word)  # Khadijah, Khadija: a final h after a vowel is not a sound
    return re.sub(r"([^aeiou])\1+", r"\1", word)


def _vowel_class(group: str) -> str:
    if any(long in group for long in ("ee", "ai", "ay", "ei", "ie", "ea")):
        return "i"
    if any(long in group for long in ("oo", "ou", "ow", "au", "uu")):
        return "u"
    if group[0] == "o":
        return "u"
    return group[0]


@lru_cache(maxsize=65536)
def _shape(token: str) -> tuple[str, tuple[str, ...]]:
    """Consonants (with h) and the kinds of the vowel groups of a Latin token."""
    word = _latin_form(token)
    consonants = re.sub(r"[aeiouy]+", "", word[1:]) if word[:1] == "y" else re.sub(r"[aeiouy]+", "", word)
    if word[:1] == "y":
        consonants = "y" + consonants
    groups = tuple(_vowel_class(g) for g in re.findall(r"[aeiou]+", word))
    return consonants, groups


def _vowels_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) != len(b):
        return False
    return all(x == y or ("e" in (x, y) and {x, y} != {"e", "u"}) for x, y in zip(a, b, strict=True))


_SCRIPT_RULES = [("q", "k"), ("ck", "k"), ("ph", "f"), ("x", "ks")]
_DIGRAPHS = ("kh", "gh", "sh", "ch", "zh")


def _script_letters(word: str) -> list[str]:
    """Letters of a transliterated or Latin token, digraphs (kh, sh, ...) kept whole."""
    for old, new in _SCRIPT_RULES:
        word = word.replace(old, new)
    letters: list[str] = []
    position = 0
    while position < len(word):
        pair = word[position : position + 2]
        step = 2 if pair in _DIGRAPHS else 1
        letters.append(word[position : position + step])
        position += step
    return letters


@lru_cache(maxsize=65536)
def _latin_pattern(token: str) -> re.Pattern:
    """The Urdu letters (transliterated, long vowels upper case) that a Latin spelling allows."""
    word = re.sub(r"(?<=[aeiou])h$", "", token)
    letters = _script_letters(word)
    letters = [  # Gujjar: a doubled consonant is one letter in Urdu
        x for i, x in enumerate(letters) if i == 0 or x != letters[i - 1] or x in _VOWELS
    ]
    text = "".join(letter if len(letter) == 1 else f"<{letter}>" for letter in letters)
    parts = []
    for position, piece in enumerate(re.findall(r"<[a-z]+>|[aeiou]+|[^aeiou]", text)):
        if piece.startswith("<"):
            parts.append(piece[1:-1])
        elif piece[0] in _VOWELS:
            core = {
                "a": "A" if "aa" in piece else "A?",
                "i": "A?I" if len(piece) > 1 else "I?",
                "u": "A?U" if len(piece) > 1 else "U?",
                "e": "[AI]?",
            }[_vowel_class(piece)]
            # Urdu writes a word-initial vowel with alif or ain.
            parts.append(("A" + core.replace("A?", "", 1)) if position == 0 else core)
        elif piece in "vw":
            parts.append("[vwU]")
        elif piece == "y":
            parts.append("[yI]")
        elif piece != "h" or position == 0:
            parts.append(re.escape(piece))
    # An "h" may stand anywhere after the first letter, or nowhere: writers place it differently (Chaudhry,
    # چوہدری; Rehana, ریحانہ).
    return re.compile("h?".join(parts))


@lru_cache(maxsize=65536)
def _urdu_form(token: str) -> str:
    """An Urdu token as :func:`match_tokens` gives it (transliterated), long vowels upper case, a final h that
    marks a vowel (Fatima, فاطمہ) dropped, doubled letters (alif and ain) written once."""
    word = token[:-1] if len(token) > 2 and token.endswith("h") and not token.endswith(_DIGRAPHS) else token
    letters = [
        {"a": "A", "o": "U", "i": "I", "e": "I"}.get(letter, letter) for letter in _script_letters(word)
    ]
    return re.sub(r"(.)\1+", r"\1", "".join(letters))


@lru_cache(maxsize=262144)
def token_level(a: str, a_urdu: bool, b: str, b_urdu: bool) -> int:
    """How two canonical tokens (``match_tokens``) compare, each with whether it was written in Urdu script:
    ``EXACT``, ``VARIANT`` (another spelling or the other script), ``CONSONANTS`` (the same skeleton, but vowels
    or an "h" say another name), ``SIMILAR`` (a letter or two apart in Latin letters) or ``NONE``."""
    if a == b:
        return EXACT
    same_skeleton = skeleton(a) == skeleton(b)
    if a_urdu and b_urdu:
        return CONSONANTS if same_skeleton else NONE
    if a_urdu or b_urdu:
        latin, urdu = (b, a) if a_urdu else (a, b)
        if _latin_pattern(latin).fullmatch(_urdu_form(urdu)):
            return VARIANT
        return CONSONANTS if same_skeleton else NONE
    shape_a, shape_b = _shape(a), _shape(b)
    if same_skeleton or shape_a[0] == shape_b[0]:
        if shape_a[0] == shape_b[0] and _vowels_agree(shape_a[1], shape_b[1]):
            return VARIANT
        if same_skeleton:
            return CONSONANTS
    from rapidfuzz import fuzz

    return SIMILAR if min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= 80 else NONE
