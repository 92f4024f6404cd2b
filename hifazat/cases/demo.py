"""The cases part's step of the demo scenario: ``build(demo)``, through the services users call."""

from __future__ import annotations


def build(demo) -> None:
    """Not built yet: the part adds its demo data here."""
