"""Text message length as phones count it: GSM 03.38 (160 / 153 per part, extension characters twice) and UCS-2
(70 / 67 per part) for anything outside the basic alphabet, Urdu above all."""

from __future__ import annotations

from django.test import SimpleTestCase

from hifazat.campaigns.sms import GSM_BASIC, GSM_EXTENSION, sms_length

URDU_WORD = "ہوشیار"  # six letters: "careful"


class GsmTests(SimpleTestCase):
    def test_english_fits_one_message_up_to_160_characters(self) -> None:
        self.assertEqual(sms_length("a" * 160).parts, 1)
        self.assertEqual(sms_length("a" * 160).encoding, "GSM-7")
        self.assertEqual(sms_length("a" * 160).remaining, 0)
        self.assertEqual(sms_length("a" * 161).parts, 2)

    def test_multipart_carries_153_per_part(self) -> None:
        self.assertEqual(sms_length("a" * 306).parts, 2)
        self.assertEqual(sms_length("a" * 306).remaining, 0)
        self.assertEqual(sms_length("a" * 307).parts, 3)
        self.assertEqual(sms_length("a" * 459).parts, 3)
        self.assertEqual(sms_length("a" * 460).parts, 4)
        self.assertEqual(sms_length("a" * 200).remaining, 306 - 200)

    def test_extension_characters_count_twice(self) -> None:
        length = sms_length("Price: 5€ [approx]")
        self.assertEqual(length.encoding, "GSM-7")
        self.assertEqual(length.characters, 18)
        self.assertEqual(length.units, 18 + 3)
        self.assertEqual(sms_length("€" * 80).parts, 1)  # 160 units
        self.assertEqual(sms_length("€" * 80 + "a").parts, 2)
        self.assertEqual(sms_length("a" * 159 + "{").parts, 2)  # 161 units

    def test_an_escape_pair_is_never_split_across_two_parts(self) -> None:
        # 152 units, then "€" (2) would end at 154 > 153: it moves to the second part whole.
        length = sms_length("a" * 152 + "€" + "a" * 10)
        self.assertEqual(length.units, 164)
        self.assertEqual((length.parts, length.remaining), (2, 153 - 12))
        # 151 + 2 = 153 exactly: the first part is full, the rest follows.
        self.assertEqual(sms_length("a" * 151 + "€" + "a" * 153).parts, 2)
        self.assertEqual(sms_length("a" * 151 + "€" + "a" * 154).parts, 3)

    def test_the_basic_alphabet_has_its_accented_and_greek_letters(self) -> None:
        self.assertEqual(len(GSM_BASIC), 127)  # 128 codes less the escape
        self.assertEqual(len(GSM_EXTENSION), 10)
        text = "Ça coûte 10£ à Zürich; ΔΦΓΛΩ @home ¿¡ §"
        self.assertEqual(sms_length(text.replace("û", "u")).encoding, "GSM-7")
        self.assertEqual(sms_length(text).encoding, "UCS-2")  # û is not in the alphabet

    def test_newlines_count_as_one_character(self) -> None:
        self.assertEqual(sms_length("line one\nline two").units, 17)

    def test_empty_text_is_no_message(self) -> None:
        self.assertEqual((sms_length("").parts, sms_length("").units), (0, 0))


class Ucs2Tests(SimpleTestCase):
    def test_urdu_fits_one_message_up_to_70_characters(self) -> None:
        text = (URDU_WORD + " ") * 10  # 70 characters
        self.assertEqual(len(text), 70)
        length = sms_length(text)
        self.assertEqual((length.encoding, length.parts, length.remaining), ("UCS-2", 1, 0))
        self.assertEqual(sms_length(text + "ا").parts, 2)

    def test_urdu_multipart_carries_67_per_part(self) -> None:
        self.assertEqual(sms_length("ا" * 134).parts, 2)
        self.assertEqual(sms_length("ا" * 135).parts, 3)
        self.assertEqual(sms_length("ا" * 201).parts, 3)
        self.assertEqual(sms_length("ا" * 202).parts, 4)

    def test_one_urdu_letter_turns_an_english_message_into_ucs2(self) -> None:
        english = "Do not trust offers of work in the city. Call 0800-44333." * 2
        self.assertEqual(sms_length(english).parts, 1)
        mixed = english + " " + URDU_WORD
        length = sms_length(mixed)
        self.assertEqual(length.encoding, "UCS-2")
        self.assertEqual(length.units, len(mixed))
        self.assertEqual(length.parts, 2)  # 121 characters: 67 + 54, where 114 fitted one GSM message

    def test_a_curly_quote_is_outside_the_basic_alphabet(self) -> None:
        self.assertEqual(sms_length("Don't").encoding, "GSM-7")
        self.assertEqual(sms_length("Don’t").encoding, "UCS-2")

    def test_extension_characters_count_once_in_ucs2(self) -> None:
        self.assertEqual(sms_length("€" + URDU_WORD).units, 7)

    def test_a_character_outside_the_basic_plane_takes_two_units_and_is_not_split(self) -> None:
        self.assertEqual(sms_length("😀").units, 2)
        self.assertEqual(sms_length("ا" * 69 + "😀").parts, 2)  # 71 units
        # 66 + 2 would end at 68 > 67: the emoji goes to the second part whole.
        length = sms_length("ا" * 66 + "😀" + "ا" * 10)
        self.assertEqual((length.parts, length.remaining), (2, 67 - 12))
