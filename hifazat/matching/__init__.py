"""Matching: is this person already registered, and is this child the one a family seeks? One engine
(``matching.engine``: Fellegi–Sunter levels, weights, bands and what a reason says) over one set of comparisons
(``matching.comparisons``), with a profile for each use: registry duplicates (``matching.scoring``) and family
tracing (``matching.tracing``). The part's interface is :class:`MatchRecord`, :func:`blocking_keys` (and the lookup
and search keys derived from them) and :func:`score`. It knows nothing of the database or of ``people``: the
registry turns its rows into records, stores the keys and asks for scores, and whole-registry batch matching
(``matching.batch``) takes the same records from an export.
"""

from hifazat.matching.blocking import YEAR_WINDOW, blocking_keys, lookup_keys, search_keys
from hifazat.matching.records import MatchRecord
from hifazat.matching.scoring import LIKELY, POSSIBLE, UNLIKELY, Match, Reason, score

__all__ = [
    "LIKELY",
    "POSSIBLE",
    "UNLIKELY",
    "YEAR_WINDOW",
    "Match",
    "MatchRecord",
    "Reason",
    "blocking_keys",
    "lookup_keys",
    "score",
    "search_keys",
]
