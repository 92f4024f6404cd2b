"""Skip logic from the catalogue: which questions are asked (by age band, sex and earlier answers), what a bad
condition says, and that only the questions asked are required, stored and scored."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from hifazat.screening import indicators, services
from hifazat.screening.indicators import CatalogueError, Subject, evaluate
from hifazat.screening.scoring import score
from hifazat.screening.testing import answers_for
from hifazat.screening.tests.base import ScreeningTestCase

YES_NO = [
    {"value": "yes", "en": "Yes", "ur": "ہاں", "present": True},
    {"value": "no", "en": "No", "ur": "نہیں"},
    {"value": "unknown", "en": "Not known", "ur": "معلوم نہیں"},
]


def question(question_id: str, section: str, *, weight: int = 1, **extra) -> dict:
    return {
        "id": question_id,
        "section": section,
        "factor": "risk",
        "answers": "yes_no",
        "weights": {"yes": weight} if weight else {},
        "en": f"Question {question_id}?",
        "ur": f"سوال {question_id}؟",
        **extra,
    }


# A small catalogue: a gate that decides whether two work questions are asked, one question for women only,
# one for adults only, and a section asked only when the gate is "yes".
SMALL = {
    "version": "9",
    "title": {"en": "Test", "ur": "ٹیسٹ"},
    "bands": {"medium": 2, "high": 4, "urgent": 8},
    "answer_sets": {"yes_no": YES_NO},
    "sections": [
        {"id": "first", "title": {"en": "First", "ur": "پہلا"}},
        {
            "id": "work",
            "title": {"en": "Work", "ur": "کام"},
            "relevant": {"answer": "works", "in": ["yes", "unknown"]},
        },
    ],
    "questions": [
        question("works", "first", weight=0),
        question("paid_late", "first", weight=2, relevant={"answer": "works", "in": ["yes"]}),
        question("pregnant", "first", relevant={"sex": ["female"]}),
        question(
            "debt", "first", weight=3, relevant={"all": [{"age_band": ["adult"]}, {"not": {"sex": ["male"]}}]}
        ),
        question("confined", "work", weight=4),
        question(
            "kept_papers",
            "work",
            relevant={"any": [{"answer": "confined", "in": ["yes"]}, {"sex": ["male"]}]},
        ),
    ],
}
WOMAN, MAN, GIRL = Subject("adult", "female"), Subject("adult", "male"), Subject("child", "female")


def asked(catalogue, subject: Subject, **answers: str) -> list[str]:
    return [q.id for q in catalogue.relevant_questions(subject, answers)]


class RelevanceTests(SimpleTestCase):
    def setUp(self) -> None:
        self.catalogue = indicators.parse(copy.deepcopy(SMALL), source="small")

    def test_conditions_on_age_band_sex_and_earlier_answers(self) -> None:
        self.assertEqual(asked(self.catalogue, WOMAN), ["works", "pregnant", "debt"])
        self.assertEqual(asked(self.catalogue, MAN), ["works"])
        self.assertEqual(asked(self.catalogue, GIRL), ["works", "pregnant"])
        self.assertEqual(
            asked(self.catalogue, WOMAN, works="yes"), ["works", "paid_late", "pregnant", "debt", "confined"]
        )
        # "Not known" opens the section but not the question that needs a plain "yes".
        self.assertEqual(asked(self.catalogue, MAN, works="unknown"), ["works", "confined", "kept_papers"])
        self.assertEqual(
            asked(self.catalogue, WOMAN, works="yes", confined="yes")[-2:], ["confined", "kept_papers"]
        )

    def test_an_answer_to_a_question_not_asked_decides_nothing(self) -> None:
        # "confined" is not asked when the gate is "no", so its "yes" does not open "kept_papers".
        self.assertEqual(
            asked(self.catalogue, WOMAN, works="no", confined="yes"), ["works", "pregnant", "debt"]
        )

    def test_the_evaluator_alone(self) -> None:
        facts = {"age_band": "adult", "sex": "unknown"}
        self.assertTrue(evaluate(None, facts, {}))
        self.assertTrue(evaluate({"age_band": ["adult", "unknown"]}, facts, {}))
        self.assertFalse(evaluate({"sex": ["female"]}, facts, {}))
        self.assertTrue(evaluate({"not": {"sex": ["female"]}}, facts, {}))
        self.assertFalse(
            evaluate({"all": [{"age_band": ["adult"]}, {"answer": "a", "in": ["yes"]}]}, facts, {})
        )
        self.assertTrue(
            evaluate({"any": [{"sex": ["male"]}, {"answer": "a", "in": ["yes"]}]}, facts, {"a": "yes"})
        )

    def test_only_questions_asked_are_required_and_kept(self) -> None:
        kept = self.catalogue.clean_answers(
            {"works": "no", "pregnant": "no", "debt": "no", "confined": "yes", "paid_late": "yes"},
            subject=WOMAN,
        )
        self.assertEqual(kept, {"works": "no", "pregnant": "no", "debt": "no"})
        with self.assertRaisesMessage(ValidationError, "2 questions have no answer: paid_late, confined"):
            self.catalogue.clean_answers({"works": "yes", "pregnant": "no", "debt": "no"}, subject=WOMAN)

    def test_the_score_counts_only_the_questions_asked(self) -> None:
        hidden = {"works": "no", "pregnant": "no", "debt": "no", "paid_late": "yes", "confined": "yes"}
        result = score(self.catalogue, hidden, subject=WOMAN)
        self.assertEqual((result.score, result.reasons), (0, ()))
        shown = score(self.catalogue, {**hidden, "works": "yes"}, subject=WOMAN)
        self.assertEqual(shown.score, 2 + 4)

    def test_the_page_gets_the_same_rules(self) -> None:
        data = self.catalogue.relevance_data(MAN)
        self.assertEqual(data["facts"], {"age_band": "adult", "sex": "male"})
        self.assertEqual(data["sections"][1]["relevant"], {"answer": "works", "in": ["yes", "unknown"]})
        self.assertEqual(
            [q["id"] for q in data["sections"][0]["questions"]], ["works", "paid_late", "pregnant", "debt"]
        )


class BadConditionTests(SimpleTestCase):
    def broken(self, change) -> str:
        raw = copy.deepcopy(SMALL)
        change(raw)
        with self.assertRaises(CatalogueError) as caught:
            indicators.parse(raw, source="small")
        return str(caught.exception)

    def test_a_condition_on_a_later_question(self) -> None:
        def later(raw):
            raw["questions"][0]["relevant"] = {"answer": "debt", "in": ["yes"]}

        self.assertIn(
            "question 'works' relevant reads 'debt', which is not a question asked before it",
            self.broken(later),
        )

    def test_a_section_reading_its_own_question(self) -> None:
        def own(raw):
            raw["sections"][1]["relevant"] = {"answer": "confined", "in": ["yes"]}

        self.assertIn("section 'work' relevant reads 'confined'", self.broken(own))

    def test_an_answer_the_question_does_not_have(self) -> None:
        def wrong(raw):
            raw["questions"][1]["relevant"] = {"answer": "works", "in": ["sometimes"]}

        self.assertIn("'works' has no answer 'sometimes'", self.broken(wrong))

    def test_an_unknown_kind_of_condition_or_band(self) -> None:
        def kind(raw):
            raw["questions"][2]["relevant"] = {"gender": ["female"]}

        def band(raw):
            raw["questions"][2]["relevant"] = {"age_band": ["teenager"]}

        self.assertIn("a condition is one of", self.broken(kind))
        self.assertIn("`age_band` lists some of child, adult, unknown", self.broken(band))

    def test_a_question_that_weighs_nothing_and_decides_nothing(self) -> None:
        def unread(raw):
            raw["questions"][1].pop("relevant")
            raw["sections"][1].pop("relevant")

        self.assertIn("question 'works': every answer weighs 0", self.broken(unread))


class CatalogueSkipLogicTests(ScreeningTestCase):
    """The catalogue in use: a child is not asked about recruitment, places of work or forced labour; an adult
    who was never taken away for work is not asked the rest."""

    WORK_SECTIONS = ("recruitment", "destination", "forced_labour")

    def test_a_child_is_not_asked_workplace_or_job_deception_questions(self) -> None:
        work = {q.id for s in self.catalogue.sections if s.id in self.WORK_SECTIONS for q in s.questions}
        self.assertIn("rec_deceived_job", work)
        everything_yes = {q.id: "yes" for q in self.catalogue.questions_for(subject_is_child=True)}
        child_asked = set(asked(self.catalogue, Subject("child", "female"), **everything_yes))
        self.assertFalse(child_asked & work)
        self.assertIn(
            "ch_works_outside_family", child_asked
        )  # a child's work is asked about in the child section
        # Nor on the page: the sections are skipped, and their questions are not in the form.
        child = self.child()
        page = self.client_for(self.a["caseworker"]).get(f"/screening/person/{child.uuid}/new/?section=6")
        self.assertContains(page, "Section 6 of 6: About the child")
        self.assertNotContains(page, 'name="q_rec_deceived_job"')
        self.assertEqual(
            [asked for _, s, asked in page.context["nav"] if s.id in self.WORK_SECTIONS], [False] * 3
        )

    def test_a_childs_answers_to_work_questions_are_neither_kept_nor_scored(self) -> None:
        child = self.child()
        answers = {**self.answers(child), "rec_recruited": "yes", "rec_violence": "yes", "fl_works": "yes"}
        screening = services.screening_record(actor=self.caseworker, person=child, answers=answers)
        self.assertFalse({"rec_recruited", "rec_violence", "fl_works"} & set(screening.answers))
        self.assertEqual((screening.score, screening.band), (0, "low"))

    def test_an_adult_never_taken_away_is_not_asked_the_rest_and_hidden_answers_do_not_score(self) -> None:
        woman = Subject("adult", "female")
        never = asked(self.catalogue, woman, rec_recruited="no", fl_works="no")
        self.assertIn("rec_recruited", never)
        self.assertFalse([q for q in never if q.startswith(("rec_deceived", "dst_", "fl_deception"))])
        hidden = answers_for(self.catalogue, subject_is_child=False, rec_violence="yes", dst_confined="yes")
        self.assertEqual(score(self.catalogue, hidden, subject=woman).score, 0)
        opened = {**hidden, "rec_recruited": "yes"}
        self.assertEqual(score(self.catalogue, opened, subject=woman).score, 4 + 4)
        person = self.widow()
        screening = services.screening_record(actor=self.caseworker, person=person, answers=hidden)
        self.assertNotIn("rec_violence", screening.answers)
        self.assertEqual(screening.score, 0)

    def test_a_person_of_unknown_age_is_asked_the_work_questions(self) -> None:
        self.assertEqual(Subject.of(self.register("Bashir", relationship_to_head="head")).age_band, "unknown")
        self.assertIn("rec_deceived_job", asked(self.catalogue, Subject("unknown"), rec_recruited="unknown"))
