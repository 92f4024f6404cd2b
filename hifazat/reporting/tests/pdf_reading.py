"""Reading a donor report PDF back, as a reader would: its text, its fonts, and the figures it publishes."""

from __future__ import annotations

import io
import re
from collections import Counter

ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f"), None)
# What is a number without being a count of people: dates, page numbers ("2 / 5"), amounts of money, shares,
# changes in points, years.
NOT_COUNTS = [
    re.compile(r"\d{4}-\d{2}-\d{2}"),
    re.compile(r"\d+\s*/\s*\d+"),
    re.compile(r"[A-Z]{3}\s*[\d,]+(?:\.\d+)?"),
    re.compile(r"\d+\s*%|%\s*\d+"),
    re.compile(r"[+\-−]\s*\d+"),
    re.compile(r"(?<![\d,])(?:19|20)\d{2}(?![\d,])"),
]
NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\d,.])\d+(?![\d,])")


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages).translate(ISOLATES)


def pdf_fonts(content: bytes) -> set[str]:
    """The base names of the fonts the PDF embeds (without the subset prefix ``ABCDEF+``)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def counts_in(text: str) -> list[int]:
    """The standalone numbers of ``text`` once dates, page numbers, money, shares, changes and years are taken
    out: in a donor report, the counts."""
    text = text.translate(ISOLATES)
    for pattern in NOT_COUNTS:
        text = pattern.sub(" ", text)
    return [int(found.replace(",", "")) for found in NUMBER.findall(text)]


def counts_under_threshold(text: str, *, threshold: int, labels: list[str]) -> list[int]:
    """The counts of ``text`` that disclosure control would never publish (1 to threshold - 1, or not a multiple
    of the threshold), leaving out the numbers that ``labels`` hold: the disclosure note ("counts from 1 to 9 are
    hidden"), the age bands ("women (18 to 59)"), a follow-up point ("3 months"), each as often as it is
    printed."""
    found = Counter(counts_in(text))
    for label in labels:
        found.subtract(Counter(counts_in(label)))
    return sorted(
        n for n, times in found.items() if times > 0 and n != 0 and (n < threshold or n % threshold)
    )
