"""The services directory of the demo districts: built before cases, so that cases can refer to it."""

from __future__ import annotations


def build(demo) -> None:
    """Not built yet: the part adds the demo directory here."""
