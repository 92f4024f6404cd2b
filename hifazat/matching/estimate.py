"""Estimating the scorer's m and u values and its calibration, from pairs of records and what is known of them.

Three ways, all plain Python over comparison levels (``scoring.levels``), so the registry, a labelled synthetic
set and the review queue feed the same code:

- :func:`count` — labelled pairs (the truth of a synthetic set, or the review queue's decisions): m and u are the
  shares of each level among true and among false pairs, smoothed (add one half).
- :func:`expectation_maximisation` — unlabelled candidate pairs (the registry itself): the Fellegi–Sunter EM,
  starting from the weights in force; pairs whose truth is known (a merge, a "not the same person") keep it
  instead of the model's guess, which anchors the estimate.
- :func:`fit_calibration` — the slope and intercept that turn summed weights into probabilities, by logistic
  regression on labelled pairs.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from hifazat.matching.scoring import FIELDS, LEVELS, MISSING

Levels = Mapping[str, str]
MU = dict[str, dict[str, tuple[float, float]]]
SMOOTHING = 0.5
# A level seen fewer times than this among the pairs counted says too little: it is made neutral (m = u).
MIN_SEEN = 30


def _shares(counts: Mapping[str, Counter]) -> MU:
    out: MU = {}
    for name in FIELDS:
        levels = LEVELS[name]
        m_total = sum(counts[name][(level, True)] for level in levels) + SMOOTHING * len(levels)
        u_total = sum(counts[name][(level, False)] for level in levels) + SMOOTHING * len(levels)
        out[name] = {}
        for level in levels:
            m = (counts[name][(level, True)] + SMOOTHING) / m_total
            u = (counts[name][(level, False)] + SMOOTHING) / u_total
            if counts[name][(level, True)] + counts[name][(level, False)] < MIN_SEEN:
                m = u = (m + u) / 2
            out[name][level] = (round(m, 6), round(u, 6))
    return out


def count(pairs: Iterable[tuple[Levels, float]]) -> MU:
    """m and u from pairs with the probability that each is one person (1 or 0 for labelled pairs, EM's guess
    otherwise); a level not compared ("missing") counts for neither."""
    counts: dict[str, Counter] = {name: Counter() for name in FIELDS}
    for found, same in pairs:
        for name in FIELDS:
            level = found.get(name, MISSING)
            if level in LEVELS[name]:
                counts[name][(level, True)] += same
                counts[name][(level, False)] += 1 - same
    return _shares(counts)


def _log_odds(found: Levels, m_u: Mapping[str, Mapping[str, tuple[float, float]]], prior: float) -> float:
    total = math.log(prior / (1 - prior))
    for name in FIELDS:
        level = found.get(name, MISSING)
        pair = m_u.get(name, {}).get(level)
        if pair is not None:
            total += math.log(max(pair[0], 1e-6) / max(pair[1], 1e-6))
    return total


@dataclass(frozen=True)
class Estimate:
    m_u: MU
    prior: float
    iterations: int
    pairs: int
    labelled: int


def expectation_maximisation(
    pairs: Sequence[Levels],
    start: Mapping[str, Mapping[str, tuple[float, float]]],
    *,
    prior: float = 0.02,
    labels: Mapping[int, bool] | None = None,
    iterations: int = 25,
    tolerance: float = 1e-4,
) -> Estimate:
    """Fellegi–Sunter EM over ``pairs`` (their levels), from ``start``: each round guesses the probability that
    each pair is one person and re-counts m and u from those guesses. ``labels`` (index → truth) replace the
    guess for the pairs a reviewer decided."""
    labels = labels or {}
    m_u: MU = {name: dict(levels) for name, levels in start.items()}
    done = 0
    for done in range(1, iterations + 1):  # noqa: B007 - the number of rounds is reported
        guesses = []
        for index, found in enumerate(pairs):
            if index in labels:
                guesses.append(1.0 if labels[index] else 0.0)
                continue
            z = max(-60.0, min(60.0, _log_odds(found, m_u, prior)))
            guesses.append(1 / (1 + math.exp(-z)))
        new = count(zip(pairs, guesses, strict=True))
        new_prior = min(0.5, max(1e-5, sum(guesses) / max(len(guesses), 1)))
        change = max(
            abs(new[name][level][k] - m_u.get(name, {}).get(level, (0, 0))[k])
            for name in FIELDS
            for level in LEVELS[name]
            for k in (0, 1)
        )
        m_u, prior = new, new_prior
        if change < tolerance:
            break
    return Estimate(m_u, prior, done, len(pairs), len(labels))


def _loss(
    bits: Sequence[float], truth: Sequence[bool], slope: float, intercept: float, ridge: float
) -> float:
    total = ridge * slope * slope / 2
    for x, y in zip(bits, truth, strict=True):
        z = max(-60.0, min(60.0, slope * x + intercept))
        total += math.log1p(math.exp(-z)) if y else math.log1p(math.exp(z))
    return total


def fit_calibration(
    bits: Sequence[float], truth: Sequence[bool], iterations: int = 50
) -> tuple[float, float]:
    """Slope and intercept of ``P = 1 / (1 + exp(-(slope * bits + intercept)))`` by maximum likelihood (Newton's
    method with step halving, and a little ridge so that separable data still gives an answer)."""
    slope, intercept = 0.5, 0.0
    ridge = 1.0
    loss = _loss(bits, truth, slope, intercept, ridge)
    for _ in range(iterations):
        g0 = g1 = h00 = h01 = h11 = 0.0
        for x, y in zip(bits, truth, strict=True):
            z = max(-60.0, min(60.0, slope * x + intercept))
            p = 1 / (1 + math.exp(-z))
            w = p * (1 - p)
            g0 += (p - y) * x
            g1 += p - y
            h00 += w * x * x
            h01 += w * x
            h11 += w
        g0 += ridge * slope
        h00 += ridge
        h11 += 1e-6
        det = h00 * h11 - h01 * h01
        if det <= 0:
            break
        step_slope = (h11 * g0 - h01 * g1) / det
        step_intercept = (h00 * g1 - h01 * g0) / det
        scale = 1.0
        while scale > 1e-4:
            new_slope, new_intercept = slope - scale * step_slope, intercept - scale * step_intercept
            new_loss = _loss(bits, truth, new_slope, new_intercept, ridge)
            if new_loss <= loss:
                break
            scale /= 2
        else:
            break
        done = loss - new_loss < 1e-9
        slope, intercept, loss = new_slope, new_intercept, new_loss
        if done:
            break
    return round(slope, 4), round(intercept, 4)


def weight_changes(
    old: Mapping[str, Mapping[str, tuple[float, float]]], new: Mapping[str, Mapping[str, tuple[float, float]]]
) -> list[tuple[str, str, float, float]]:
    """(comparison, level, old weight, new weight) in bits for every level, largest change first."""
    out = []
    for name in FIELDS:
        for level in LEVELS[name]:
            before = old.get(name, {}).get(level)
            after = new.get(name, {}).get(level)
            if before is None or after is None:
                continue
            out.append(
                (
                    name,
                    level,
                    math.log2(max(before[0], 1e-6) / max(before[1], 1e-6)),
                    math.log2(max(after[0], 1e-6) / max(after[1], 1e-6)),
                )
            )
    out.sort(key=lambda row: -abs(row[3] - row[2]))
    return out
