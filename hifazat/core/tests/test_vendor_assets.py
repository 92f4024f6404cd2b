"""Every third-party asset is vendored, pinned and unchanged; no page loads anything from another host."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
VENDOR = ROOT / "static" / "vendor"
OURS = {"VERSIONS", "fonts/fonts.css"}  # written here, not fetched


def listed() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in (VENDOR / "VERSIONS").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            path, package, digest = line.split()
            rows[path] = (package, digest.removeprefix("sha256:"))
    return rows


def test_every_vendored_file_is_listed_with_its_version_and_checksum() -> None:
    rows = listed()
    on_disk = {str(p.relative_to(VENDOR)) for p in VENDOR.rglob("*") if p.is_file()}
    unlisted = {p for p in on_disk - set(rows) - OURS if "LICENSE" not in p}
    assert unlisted == set()
    for path, (package, digest) in rows.items():
        assert "@" in package, path
        assert hashlib.sha256((VENDOR / path).read_bytes()).hexdigest() == digest, (
            f"{path} differs from {package}"
        )


def test_source_maps_named_by_minified_files_exist() -> None:
    for path in VENDOR.rglob("*.min.*"):
        match = re.search(rb"sourceMappingURL=([\w.\-]+)", path.read_bytes()[-300:])
        if match:
            assert (path.parent / match.group(1).decode()).exists(), path


def test_templates_and_styles_load_nothing_from_other_hosts() -> None:
    external = re.compile(r"""(src|href)=["']?(https?:)?//""")
    css_external = re.compile(r"""url\(\s*['"]?(https?:)?//""")
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        assert not external.search(template.read_text()), template
    for sheet in [*VENDOR.rglob("*.css"), *(ROOT / "static" / "hifazat").glob("*.css")]:
        assert not css_external.search(sheet.read_text(errors="ignore")), sheet
