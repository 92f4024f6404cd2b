"""The Urdu catalogue: compiled from its .po by the project's own compiler, and used by the pages."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from hifazat.core.translations import catalogues, compile_catalogue, mo_bytes, parse_po

ROOT = Path(__file__).resolve().parents[3]


def test_the_committed_mo_files_match_their_po_files() -> None:
    found = catalogues(ROOT)
    assert found, "no catalogue under locale/"
    for po in found:
        assert po.with_suffix(".mo").read_bytes() == compile_catalogue(po), f"run `make messages` for {po}"


def test_every_urdu_entry_is_translated() -> None:
    po = ROOT / "locale/ur/LC_MESSAGES/django.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgstr ""\n\n' not in text.split("\n\n", 1)[1], "an Urdu entry has no translation"
    assert "#, fuzzy" not in text


def test_pages_strings_are_urdu_in_urdu() -> None:
    with translation.override("ur"):
        assert translation.gettext("Sites") != "Sites"
        assert translation.get_language_bidi()


def test_the_compiler_reads_plurals_contexts_and_skips_fuzzy_entries() -> None:
    po = """msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "site"
msgid "Open"
msgstr "کھلا"

msgid "one record"
msgid_plural "%(n)s records"
msgstr[0] "ایک ریکارڈ"
msgstr[1] "%(n)s ریکارڈ"

#, fuzzy
msgid "Draft"
msgstr "مسودہ"
"""
    messages = parse_po(po)
    assert messages["site\x04Open"] == "کھلا"
    assert messages["one record\x00%(n)s records"] == "ایک ریکارڈ\x00%(n)s ریکارڈ"
    assert "Draft" not in messages
    assert mo_bytes(messages)[:4] == b"\xde\x12\x04\x95"
