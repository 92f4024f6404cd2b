"""Compile gettext catalogues (.po) to .mo without GNU gettext, so a fresh machine needs only Python.

Handles what Django's catalogues use: msgctxt, msgid, msgid_plural, msgstr and msgstr[n], multi-line strings
and the usual escapes. Fuzzy entries are left out, as msgfmt does.
"""

from __future__ import annotations

import ast
import struct
from pathlib import Path


def parse_po(text: str) -> dict[str, str]:
    """The catalogue as {key: translation}; keys and values use gettext's NUL conventions for plurals and
    the EOT separator for contexts."""
    messages: dict[str, str] = {}
    entry: dict[str, list[str]] = {}
    current: str | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal entry, fuzzy
        if "msgid" in entry and not fuzzy:
            key = "".join(entry["msgid"])
            if "msgid_plural" in entry:
                key += "\0" + "".join(entry["msgid_plural"])
                forms = sorted(k for k in entry if k.startswith("msgstr["))
                value = "\0".join("".join(entry[k]) for k in forms)
            else:
                value = "".join(entry.get("msgstr", []))
            if "msgctxt" in entry:
                key = "".join(entry["msgctxt"]) + "\x04" + key
            if value.replace("\0", "") or key == "":
                messages[key] = value
        entry, fuzzy = {}, False

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#,"):
            if "msgid" in entry:
                flush()
            fuzzy = "fuzzy" in line
            continue
        if not line or line.startswith("#"):
            if not line and "msgid" in entry:
                flush()
            continue
        if line.startswith('"'):
            if current is None:
                raise ValueError(f"a string with no keyword before it: {raw!r}")
            entry[current].append(ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgctxt" and "msgid" in entry:
            flush()
        if keyword == "msgid" and "msgid" in entry:
            flush()
        current = keyword
        entry[current] = [ast.literal_eval(rest.strip())]
    flush()
    return messages


def mo_bytes(messages: dict[str, str]) -> bytes:
    """The GNU .mo format, little-endian, without a hash table (allowed by the format)."""
    keys = sorted(messages)
    ids = b""
    strs = b""
    offsets = []
    for key in keys:
        k, v = key.encode(), messages[key].encode()
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    count = len(keys)
    key_start = 7 * 4 + 16 * count
    value_start = key_start + len(ids)
    koffsets, voffsets = [], []
    for id_offset, id_length, str_offset, str_length in offsets:
        koffsets += [id_length, id_offset + key_start]
        voffsets += [str_length, str_offset + value_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    return (
        header
        + struct.pack(f"{len(koffsets)}i", *koffsets)
        + struct.pack(f"{len(voffsets)}i", *voffsets)
        + ids
        + strs
    )


def compile_catalogue(po_path: Path) -> bytes:
    return mo_bytes(parse_po(po_path.read_text(encoding="utf-8")))


def catalogues(base: Path) -> list[Path]:
    """The project's catalogue and those that parts keep in their own folder (``hifazat/<part>/locale``)."""
    return sorted(
        [*base.glob("locale/*/LC_MESSAGES/*.po"), *base.glob("hifazat/*/locale/*/LC_MESSAGES/*.po")]
    )
