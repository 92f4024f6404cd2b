"""The same phone number, plate or name, written as people write them, is one trace."""

from __future__ import annotations

from django.test import SimpleTestCase

from hifazat.monitoring.normalise import (
    employer_value,
    entities_in,
    name_value,
    phone_value,
    plate_value,
    split_lines,
)


class PhoneTests(SimpleTestCase):
    def test_the_pakistani_ways_of_writing_a_mobile_number_are_one_number(self) -> None:
        forms = [
            "0300-1234567",
            "0300 1234567",
            "03001234567",
            "+92 300 1234567",
            "+92-300-1234567",
            "923001234567",
            "00923001234567",
            "0092 300 1234567",
            "300 1234567",
            "(0300) 123-4567",
            "۰۳۰۰-۱۲۳۴۵۶۷",  # Urdu digits
        ]
        self.assertEqual({phone_value(f) for f in forms}, {"+923001234567"})

    def test_another_number_stays_another(self) -> None:
        self.assertNotEqual(phone_value("0300-1234568"), phone_value("0300-1234567"))
        self.assertEqual(phone_value("051-9876543"), "+92519876543")

    def test_text_that_is_not_a_number_is_nothing(self) -> None:
        for text in ("", "none", "he would not say", "12", "1234567890123456789"):
            self.assertEqual(phone_value(text), "", text)


class PlateTests(SimpleTestCase):
    def test_spacing_case_and_punctuation_do_not_matter(self) -> None:
        self.assertEqual(
            {plate_value(p) for p in ("LEA-1234", "lea 1234", "LEA.1234", " Lea1234 ")}, {"LEA1234"}
        )

    def test_a_letter_o_or_i_in_the_number_is_read_as_a_digit(self) -> None:
        self.assertEqual(plate_value("LEA-12O4"), "LEA1204")

    def test_other_plates_and_words_differ(self) -> None:
        self.assertNotEqual(plate_value("LEB-1234"), plate_value("LEA-1234"))
        self.assertEqual(plate_value("white Hiace van"), "")


class NameTests(SimpleTestCase):
    def test_spelling_order_and_script_do_not_matter(self) -> None:
        forms = ["Javed Iqbal", "Jawed Iqbal", "IQBAL, Javed", "javaid iqbal", "جاوید اقبال"]
        self.assertEqual(len({name_value(f) for f in forms}), 1, [name_value(f) for f in forms])
        self.assertTrue(name_value("Javed Iqbal"))

    def test_titles_are_not_part_of_the_name(self) -> None:
        self.assertEqual(name_value("Haji Javed Iqbal"), name_value("Javed Iqbal"))

    def test_a_single_name_or_only_common_names_do_not_link(self) -> None:
        self.assertEqual(name_value("Javed"), "")
        self.assertEqual(name_value("Muhammad Khan"), "")
        self.assertEqual(name_value("Muhammad Ali"), "")

    def test_different_people_differ(self) -> None:
        self.assertNotEqual(name_value("Javed Iqbal"), name_value("Javed Akhtar"))


class TraceTests(SimpleTestCase):
    def test_agency_names_lose_the_words_every_agency_has(self) -> None:
        self.assertEqual(
            employer_value("Al-Noor Overseas Employment (Pvt) Ltd"),
            employer_value("al noor overseas employment"),
        )

    def test_several_traces_in_one_box_are_split_and_kept_once(self) -> None:
        self.assertEqual(
            split_lines("0300-1234567\n0333 7654321; 0345-1111111, "),
            ["0300-1234567", "0333 7654321", "0345-1111111"],
        )
        self.assertEqual(
            entities_in("phone", "0300-1234567\n+92 300 1234567\nnot known"),
            [("+923001234567", "0300-1234567")],
        )
