"""Normalised forms of phone and identity numbers, so that the same number written differently is one value, and
the birth date an age stands for."""

from __future__ import annotations

import datetime
import re


def normalise_phone(text: str, country_code: str = "92") -> str:
    """E.164 (``+923001234567``) from the forms used in Pakistan: 0300-1234567, 0300 1234567,
    +92 300 1234567, 923001234567, 0092 300 1234567. Empty for something that is not a phone number."""
    digits = re.sub(r"\D", "", text or "")
    if not digits:
        return ""
    if digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = country_code + digits[1:]
    elif len(digits) == 10 and digits.startswith("3"):  # 300 1234567, the trunk 0 left off
        digits = country_code + digits
    if not 8 <= len(digits) <= 15:
        return ""
    return "+" + digits


def normalise_identity_number(text: str) -> str:
    """Identity numbers (CNIC 12345-1234567-1, B-form, passport) without spaces and dashes, upper case."""
    return re.sub(r"[\s\-/]", "", text or "").upper()


def birthdate_from_age(age_years: int, on: datetime.date) -> datetime.date:
    """The birth date an age given on ``on`` stands for: the middle of the year the person would have been born
    in, the estimate closest on average. Registration, the duplicate check and tracing requests all use it."""
    return datetime.date(on.year - age_years - (1 if (on.month, on.day) < (7, 1) else 0), 7, 1)
