"""The indicator catalogue: what the repository's file holds, clear errors on a bad file, and versions."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from pathlib import Path
from unittest import mock

from django.test import SimpleTestCase

from hifazat.screening import indicators
from hifazat.screening.indicators import CatalogueError
from hifazat.screening.models import CatalogueVersion
from hifazat.screening.selectors import screening_explained
from hifazat.screening.tests.base import ScreeningTestCase

V1 = indicators.CATALOGUE_DIR / "v1.yaml"


class CatalogueContentTests(SimpleTestCase):
    def setUp(self) -> None:
        self.catalogue = indicators.current_catalogue()

    def test_the_catalogue_in_use_is_version_2_with_skip_logic(self) -> None:
        self.assertEqual(indicators.catalogue_file().name, "v2.yaml")
        self.assertEqual(self.catalogue.version, "2")
        self.assertEqual(indicators.load_file(V1).version, "1")  # kept: old screenings were taken with it

    def test_every_question_and_option_has_english_and_urdu(self) -> None:
        for question in self.catalogue.questions.values():
            self.assertTrue(question.text.en and question.text.ur, question.id)
            self.assertNotEqual(question.text.en, question.text.ur, question.id)
            for option in question.options:
                self.assertTrue(option.text.en and option.text.ur, (question.id, option.value))

    def test_iom_determinants_at_four_levels_with_risk_and_protective_factors(self) -> None:
        iom = [s for s in self.catalogue.sections if s.source == "iom_dmv"]
        self.assertEqual([s.level for s in iom], ["individual", "household", "community", "structural"])
        for section in iom:
            self.assertEqual({q.factor for q in section.questions}, {"risk", "protective"}, section.id)

    def test_the_eleven_ilo_indicators_of_forced_labour(self) -> None:
        forced_labour = next(s for s in self.catalogue.sections if s.id == "forced_labour")
        gate, *indicators_ = forced_labour.questions
        self.assertEqual(gate.id, "fl_works")  # decides whether the eleven are asked
        self.assertEqual(len(indicators_), 11)

    def test_ilo_ec_indicators_cover_the_six_dimensions_with_their_strength(self) -> None:
        trafficking = [
            q
            for s in self.catalogue.sections
            if s.source == "ilo_ec"
            for q in s.questions
            if q.id != "rec_recruited"
        ]
        self.assertEqual(
            set(Counter(q.dimension for q in trafficking)),
            {
                "deceptive_recruitment",
                "coercive_recruitment",
                "abuse_of_vulnerability",
                "exploitative_conditions",
                "coercion_at_destination",
                "abuse_of_vulnerability_at_destination",
            },
        )
        self.assertEqual({q.strength for q in trafficking}, {"strong", "medium", "weak"})
        weights = {"strong": 4, "medium": 2, "weak": 1}
        for question in trafficking:
            self.assertEqual(question.option("yes").weight, weights[question.strength], question.id)

    def test_child_questions_are_asked_of_children_only(self) -> None:
        child = next(s for s in self.catalogue.sections if s.id == "child")
        self.assertEqual(child.applies_to, "child")
        adult_ids = {q.id for q in self.catalogue.questions_for(subject_is_child=False)}
        self.assertFalse(adult_ids & {q.id for q in child.questions})

    def test_the_lures_of_this_setting_raise_red_flags(self) -> None:
        questions = self.catalogue.questions
        for question_id in ("lure_offer_work", "lure_offer_education", "lure_offer_marriage"):
            self.assertEqual(questions[question_id].red_flags, ("outside_offer",))
        self.assertEqual(questions["lure_stranger_asked_child"].red_flags, ("stranger_asking_about_child",))

    def test_urdu_text_is_shown_in_urdu(self) -> None:
        question = self.catalogue.questions["lure_offer_work"]
        self.assertIn("پیشکش", question.text.get("ur"))
        self.assertTrue(question.text.get("en").startswith("Has someone outside the family"))


class BadCatalogueTests(SimpleTestCase):
    """A bad file fails with the file and the question named."""

    def broken(self, old: str, new: str) -> str:
        text = V1.read_text(encoding="utf-8")
        self.assertIn(old, text)
        directory = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, directory)
        (directory / "v1.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
        with self.assertRaises(CatalogueError) as caught:
            indicators.load_file(directory / "v1.yaml")
        return str(caught.exception)

    def test_a_question_without_urdu(self) -> None:
        message = self.broken("    ur: کیا یہ شخص لکھنا پڑھنا نہیں جانتا؟\n", "")
        self.assertEqual(message, "v1.yaml: question 'ind_cannot_read' has no Urdu text (ur)")

    def test_an_unquoted_yes(self) -> None:
        message = self.broken(
            'weights: {"yes": 1}\n    en: Is the person unable',
            "weights: {yes: 1}\n    en: Is the person unable",
        )
        self.assertIn("question 'ind_cannot_read' weights", message)
        self.assertIn('write "yes" and "no" in quotes', message)

    def test_a_negative_weight(self) -> None:
        message = self.broken("        weight: 3\n", "        weight: -3\n")
        self.assertIn("question 'hh_debt', option 'lender': weight -3", message)

    def test_an_undefined_red_flag(self) -> None:
        message = self.broken("red_flags: [stranger_asking_about_child]", "red_flags: [stranger_asking]")
        self.assertIn("question 'lure_stranger_asked_child' raises red flag 'stranger_asking'", message)

    def test_a_question_in_no_section(self) -> None:
        message = self.broken(
            "  - id: ind_cannot_read\n    section: individual",
            "  - id: ind_cannot_read\n    section: personal",
        )
        self.assertIn("question 'ind_cannot_read' is in section 'personal', which is not defined", message)

    def test_thresholds_that_do_not_rise(self) -> None:
        self.assertIn("thresholds must rise", self.broken("  high: 12\n", "  high: 3\n"))

    def test_a_duplicate_question(self) -> None:
        self.assertIn(
            "question 'ind_health' is defined twice", self.broken("- id: ind_cannot_read", "- id: ind_health")
        )

    def test_not_yaml(self) -> None:
        self.assertIn("v1.yaml: not valid YAML", self.broken("bands:\n", "bands: [\n"))


class CatalogueVersionTests(ScreeningTestCase):
    def setUp(self) -> None:
        super().setUp()
        directory = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, directory)
        shutil.copy(V1, directory / "v1.yaml")
        self.directory = directory
        patcher = mock.patch.object(indicators, "CATALOGUE_DIR", directory)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.catalogue = indicators.current_catalogue()

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.directory / name
        text = (self.directory / "v1.yaml").read_text(encoding="utf-8")
        self.assertIn(old, text)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def test_the_version_is_stored_the_first_time_it_is_used_and_only_once(self) -> None:
        self.assertEqual(CatalogueVersion.objects.count(), 0)
        _, first = indicators.current()
        _, again = indicators.current()
        self.assertEqual(first, again)
        self.assertEqual((first.version, len(first.checksum)), ("1", 64))
        self.assertEqual(CatalogueVersion.objects.count(), 1)

    def test_an_edit_creates_a_new_version_while_an_old_screening_keeps_its_version_and_score(self) -> None:
        person = self.widow()
        old = self.screen(person, ind_no_documents="yes", hh_debt="lender")
        self.assertEqual((old.score, old.band), (5, "medium"))
        # The weight of lost documents is raised from 2 to 10, in the same file.
        self.edit(
            "v1.yaml",
            '    weights: {"yes": 2}\n    en: Has the person lost',
            '    weights: {"yes": 10}\n    en: Has the person lost',
        )
        new = self.screen(person, ind_no_documents="yes", hh_debt="lender")
        self.assertEqual((new.score, new.band), (13, "high"))
        self.assertEqual(CatalogueVersion.objects.count(), 2)
        self.assertNotEqual(new.catalogue_version, old.catalogue_version)
        old.refresh_from_db()
        self.assertEqual((old.score, old.band, old.catalogue_version.version), (5, "medium", "1"))
        # The old result is explained with its own catalogue's weights.
        explained = screening_explained(old)
        self.assertEqual([r.weight for r in explained["reasons"]], [2, 3])
        self.assertEqual(
            indicators.from_version(old.catalogue_version).questions["ind_no_documents"].option("yes").weight,
            2,
        )

    def test_a_comment_or_layout_edit_is_not_a_new_version(self) -> None:
        _, first = indicators.current()
        self.edit(
            "v1.yaml",
            "# Hifazat risk-screening catalogue, version 1.",
            "# Hifazat risk-screening catalogue, version 1 (reviewed).",
        )
        _, again = indicators.current()
        self.assertEqual(first, again)

    def test_the_highest_numbered_file_is_the_one_in_use(self) -> None:
        self.edit("v2.yaml", 'version: "1"', 'version: "2"')
        catalogue, version = indicators.current()
        self.assertEqual((catalogue.version, version.version), ("2", "2"))
