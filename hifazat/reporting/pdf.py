"""HTML to PDF with WeasyPrint, for the donor reports: Urdu in Noto Nastaliq Urdu (shaped by Pango and HarfBuzz,
letters joined as they should be; ReportLab cannot), English in Noto Naskh Arabic's Latin letters, both from the
vendored woff2 files in ``static/vendor/fonts`` (nothing from the network, nothing from the machine's fonts).

Loading the fonts (woff2 to TrueType, registered with fontconfig) takes about two seconds, so it is done once per
process and per language and kept (``_fonts``). Renders are serialised by a lock: WeasyPrint and fontconfig are
not documented as thread-safe, and a donor report is a rare request. The fetcher reads files under the static
folder only: a template can reference no URL, local or remote, outside it.

WeasyPrint needs Pango at run time (Debian: ``libpango-1.0-0``, ``libpangoft2-1.0-0``; Chromium's dependencies
bring them), so it is imported only when a PDF is made: the rest of Hifazat runs without it.
"""

from __future__ import annotations

import atexit
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

FONTS_FOLDER = "vendor/fonts/files"
# The faces each language's reports use: (family, weight, file, unicode-range). Urdu: Nastaliq for the Urdu
# letters and its Latin file for digits, codes and names written in Latin letters. English: Naskh's Latin file
# (regular and bold), a plain book face. Each file has a family name of its own: WeasyPrint tells the fonts it
# embeds apart by family, weight and style only, so two files under one name would share glyph numbers (the
# Latin file's "z" drawn and read back as an Urdu letter).
ARABIC_RANGE = "U+0600-06FF,U+0750-077F,U+08A0-08FF,U+200C-200F,U+2066-2069,U+FB50-FDFF,U+FE70-FEFC"
LATIN_RANGE = "U+0000-00FF,U+0131,U+0152-0153,U+2000-206F,U+20AC,U+2122,U+2212"
FACES = {
    "ur": [
        ("Noto Nastaliq Urdu", 400, "noto-nastaliq-urdu-arabic-400-normal.woff2", ARABIC_RANGE),
        ("Noto Nastaliq Urdu Latin", 400, "noto-nastaliq-urdu-latin-400-normal.woff2", LATIN_RANGE),
    ],
    "en": [
        ("Noto Naskh Arabic", 400, "noto-naskh-arabic-latin-400-normal.woff2", LATIN_RANGE),
        ("Noto Naskh Arabic", 700, "noto-naskh-arabic-latin-700-normal.woff2", LATIN_RANGE),
    ],
}
# The font-family value of each language's stylesheet.
FAMILY = {"ur": "'Noto Nastaliq Urdu', 'Noto Nastaliq Urdu Latin'", "en": "'Noto Naskh Arabic'"}

# WeasyPrint logs each step of each render, and fontTools each table it subsets, at INFO: not worth a log line.
for _name in ("weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

_lock = threading.Lock()
_fonts: dict[str, tuple] = {}
# Let the font configurations go before the interpreter takes their libraries away.
atexit.register(_fonts.clear)


def static_root() -> Path:
    """The folder that holds ``vendor/fonts`` (the source folder in development, ``STATIC_ROOT`` once
    collected): WeasyPrint's ``base_url``, as an absolute path."""
    found = finders.find(f"{FONTS_FOLDER}/{FACES['ur'][0][2]}")
    if found:
        return Path(found).resolve().parents[3]
    return Path(settings.STATIC_ROOT).resolve()


def _fetcher():
    from weasyprint.urls import URLFetcher

    root = static_root()

    class StaticOnly(URLFetcher):
        """Files under the static folder, nothing else (no http, no other file)."""

        def fetch(self, url, headers=None):
            if not url.startswith("file://"):
                raise ValueError(f"donor reports load nothing from {url.split(':', 1)[0]} URLs")
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if not path.is_relative_to(root):
                raise ValueError("donor reports load files from the static folder only")
            return super().fetch(url, headers)

    return StaticOnly(allowed_protocols=["file"])


def _font_css(language: str) -> str:
    rules = []
    for family, weight, file, unicode_range in FACES[language]:
        rules.append(
            f"@font-face {{ font-family: '{family}'; font-weight: {weight}; font-style: normal; "
            f"src: url('{FONTS_FOLDER}/{file}') format('woff2'); unicode-range: {unicode_range}; }}"
        )
    return "\n".join(rules)


def _fonts_for(language: str):
    """(FontConfiguration, CSS) for ``language``, loaded once per process."""
    if language not in _fonts:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        config = FontConfiguration()
        css = CSS(
            string=_font_css(language),
            base_url=f"{static_root()}/",
            font_config=config,
            url_fetcher=_fetcher(),
        )
        _fonts[language] = (config, css)
    return _fonts[language]


@dataclass(frozen=True)
class Pdf:
    content: bytes
    pages: int


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot load its system libraries (Pango) on this machine: no PDF can be made."""


def _require_weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except OSError as error:  # cffi's "cannot load library 'libpango-1.0-0'"
        raise PdfUnavailable(str(error)) from error


def render(html: str, *, language: str) -> Pdf:
    """The PDF of ``html`` (a complete document that names ``font_family(language)``), fonts subset and
    embedded. ``PdfUnavailable`` where the machine lacks Pango."""
    _require_weasyprint()
    from weasyprint import HTML

    language = "ur" if language == "ur" else "en"
    with _lock:
        config, css = _fonts_for(language)
        document = HTML(string=html, base_url=f"{static_root()}/", url_fetcher=_fetcher()).render(
            stylesheets=[css], font_config=config
        )
        return Pdf(document.write_pdf(), len(document.pages))


def font_family(language: str) -> str:
    return FAMILY["ur" if language == "ur" else "en"]
