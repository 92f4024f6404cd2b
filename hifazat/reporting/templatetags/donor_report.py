"""Filters for the donor reports' PDF templates."""

from __future__ import annotations

from django import template

register = template.Library()

LRI, PDI = "\u2066", "\u2069"


@register.filter
def num(value) -> str:
    """A figure (``1,240``, ``*``, ``PKR 25,000``, ``+12``, ``40%``) isolated left to right with Unicode's isolate
    marks, so that the Urdu around it cannot reorder its parts (``%40``, ``25,000 PKR``). Marks in the text, not
    markup: Pango (which lays out the PDF's lines) applies them whatever the stylesheet says."""
    if value is None or value == "":
        return "—"
    return f"{LRI}{value}{PDI}"
