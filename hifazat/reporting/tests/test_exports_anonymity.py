"""k-anonymity on its own: every published combination of quasi-identifiers occurs at least k times, whatever the
records; a column is generalised before many records are dropped; and nothing is generalised that need not be."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from hifazat.reporting.anonymity import QuasiIdentifier, Record, k_anonymise

AGE = QuasiIdentifier("age", ("age",), ("band", "broad", "none"))
PLACE = QuasiIdentifier("place", ("province", "district"), ("district", "province", "none"))
GENDER = QuasiIdentifier("gender", ("gender",), ("as recorded", "none"))
QIS = (AGE, PLACE, GENDER)
BANDS = {"0-4": "0-17", "5-11": "0-17", "12-17": "0-17", "18-24": "18-59", "25-59": "18-59", "60+": "60+"}
DISTRICTS = {"Mansehra": "NWFP", "Battagram": "NWFP", "Abbottabad": "NWFP", "Islamabad": "ICT", "Bagh": "AJK"}


def record(band: str, district: str, gender: str, n: int = 0) -> Record:
    return Record(
        qi={
            "age": [(band,), (BANDS[band],), ("",)],
            "place": [(DISTRICTS[district], district), (DISTRICTS[district], ""), ("", "")],
            "gender": [(gender,), ("",)],
        },
        rest={"n": n},
    )


def groups(rows: list[dict]) -> Counter:
    return Counter(tuple(row[c] for q in QIS for c in q.columns) for row in rows)


def test_common_combinations_are_kept_as_they_are_and_a_rare_one_is_left_out() -> None:
    records = [record("25-59", "Mansehra", "Feminine", n) for n in range(30)]
    records += [record("60+", "Bagh", "Masculine", 99)]
    result = k_anonymise(records, QIS, k=10)
    assert result.levels == {"age": 0, "place": 0, "gender": 0}
    assert result.suppressed == 1 and len(result.rows) == 30
    assert all(row["n"] != 99 for row in result.rows)


def test_columns_are_generalised_before_many_records_would_be_dropped() -> None:
    # Four districts of NWFP with 4 people each: none reaches k=10 alone, the province does.
    records = [
        record("25-59", district, "Feminine", n)
        for district in ("Mansehra", "Battagram", "Abbottabad", "Mansehra")
        for n in range(4)
    ]
    result = k_anonymise(records, QIS, k=10)
    assert result.levels["place"] == 1
    assert result.suppressed == 0
    assert {row["district"] for row in result.rows} == {""}
    assert {row["province"] for row in result.rows} == {"NWFP"}


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("k", [3, 5, 10])
def test_every_published_combination_occurs_at_least_k_times(seed: int, k: int) -> None:
    rng = random.Random(seed)
    records = [
        record(
            rng.choice(list(BANDS)),
            rng.choice(list(DISTRICTS)),
            rng.choice(["Feminine", "Masculine", "NonConforming"]),
            n,
        )
        for n in range(rng.randint(0, 120))
    ]
    result = k_anonymise(records, QIS, k=k)
    small = {key: count for key, count in groups(result.rows).items() if count < k}
    assert small == {}
    assert len(result.rows) + result.suppressed == len(records)
    # Suppression stays within its budget unless every column is as coarse as it gets.
    fully_generalised = all(result.levels[q.name] == len(q.levels) - 1 for q in QIS)
    assert result.suppressed <= int(0.05 * len(records)) or fully_generalised
    # Nothing is coarser than it needs to be: one level finer on any column would leave too many out.
    budget = int(0.05 * len(records))
    for q in QIS:
        if result.levels[q.name] and result.suppressed <= budget:
            trial = {**result.levels, q.name: result.levels[q.name] - 1}
            keys = Counter(tuple(v for p in QIS for v in r.qi[p.name][trial[p.name]]) for r in records)
            assert sum(n for n in keys.values() if n < k) > budget, q.name
    # Each row is its record's own values at the chosen levels (no value moved to another row).
    kept = {row["n"] for row in result.rows}
    by_n = {r.rest["n"]: r for r in records}
    for row in result.rows:
        source = by_n[row["n"]]
        assert (row["age"],) == tuple(source.qi["age"][result.levels["age"]])
    assert len(kept) == len(result.rows)


def test_a_hierarchy_must_end_in_publishing_nothing() -> None:
    bad = Record(
        qi={"age": [("25-59",), ("18-59",), ("adult",)], "place": [("", "")] * 3, "gender": [("",)] * 2}
    )
    with pytest.raises(ValueError, match="publish nothing"):
        k_anonymise([bad], QIS, k=2)
