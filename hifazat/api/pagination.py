"""How API lists are cut into pages: ``?limit=`` and ``?offset=``, with a ceiling on the page.

DRF's own class takes any limit, so ``?limit=100000`` sent the whole registry in one call, and a limit beyond what
the database's integers hold ended in a 500. Here a limit above ``max_limit`` is lowered to it (``next`` then
leads on), and a limit or offset that is not a whole number in range is answered 400, naming the parameter.
"""

from __future__ import annotations

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

MAX_LIMIT = 200
# Larger than any list will be, and small enough for every database's 64-bit integers.
MAX_OFFSET = 10**12


def _whole_number(request, name: str, *, default: int, smallest: int, largest: int) -> int:
    """The parameter as a number from ``smallest`` to ``largest`` (a larger one is lowered to ``largest``)."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or int(text[:20]) < smallest:
        raise ValidationError({name: [f"Give a whole number of {smallest} or more."]})
    return largest if len(text) > 18 else min(int(text), largest)


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_limit(self, request) -> int:
        return _whole_number(
            request, self.limit_query_param, default=self.default_limit, smallest=1, largest=self.max_limit
        )

    def get_offset(self, request) -> int:
        return _whole_number(request, self.offset_query_param, default=0, smallest=0, largest=MAX_OFFSET)
