"""Attached photographs: accepted only as images, and re-encoded so that nothing but the pixels remains.

A phone's photograph carries where it was taken (EXIF GPS), when, with which device and often its owner's name,
in EXIF, XMP, IPTC and comment blocks, and some formats hide more in text chunks. Rather than deleting known
fields, the image is decoded, turned upright as its EXIF says, copied pixel by pixel into a new image that has
no metadata at all, and saved as a JPEG. Very large images are scaled down.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
MAX_BYTES = 8 * 1024 * 1024
MAX_SIDE = 2048
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding


def clean_image(data: bytes) -> tuple[bytes, int, int]:
    """JPEG bytes of the image in ``data`` with no metadata, and its width and height. ``ValidationError`` for
    anything that is not an image of an accepted format."""
    if len(data) > MAX_BYTES:
        raise ValidationError({"image": _("The photograph is too large (at most 8 MB).")})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError({"image": _("Attach a photograph (JPEG, PNG, WebP or GIF).")})
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError({"image": _("The photograph has too many pixels.")})
            probe.load()
            upright = ImageOps.exif_transpose(probe)
            rgb = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"image": _("This file is not a photograph that can be read.")}) from None
    rgb.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image from the raw pixels: no info dictionary, so no EXIF, XMP, ICC or comment can be written out.
    bare = Image.frombytes("RGB", rgb.size, rgb.tobytes())
    out = io.BytesIO()
    bare.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), bare.width, bare.height
