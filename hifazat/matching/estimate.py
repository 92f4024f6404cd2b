"""Estimating the scorer's m and u values and its calibration, from pairs of records and what is known of them.

Plain Python over comparison levels (``scoring.levels``), so that the registry, a labelled synthetic set and the
review queue feed the same code:

- :func:`u_from_random` — u, the share of each level among pairs of two *different* people, counted on pairs
  drawn at random from the registry (of the same sex, for every comparison but sex: names imply a sex, so
  agreeing on both would count the same evidence twice). This is Splink's way: the candidates a lookup returns
  are no sample of different people (they were found because they share a name), and u counted among them
  makes agreeing on every name look like little evidence.
- :func:`count` — labelled pairs (the truth of a synthetic set, or the review queue's decisions): m and u as the
  shares of each level among true and among false pairs, smoothed (add one half).
- :func:`expectation_maximisation` — unlabelled candidate pairs (the registry itself): the Fellegi–Sunter EM,
  starting from the m in force and the candidates' own shares as u; its m is kept, its u (that of candidates,
  not of two people drawn at random) is not. Pairs whose truth is known (a merge, a "not the same person") keep
  it instead of the model's guess, which anchors the estimate.
- :func:`fit_calibration` — the slope and intercept that turn summed weights into probabilities, by logistic
  regression on labelled pairs; :func:`calibration_from_prior` — the same without labels, from EM's share of
  true pairs (the Fellegi–Sunter posterior itself).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from hifazat.matching.scoring import FIELDS, LEVELS, MISSING, REGISTRY

Levels = Mapping[str, str]
MU = dict[str, dict[str, tuple[float, float]]]
SMOOTHING = 0.5
# A level seen fewer times than this among the pairs counted says too little: it is made neutral (m = u).
MIN_SEEN = 30


Profile = Mapping[str, tuple[str, ...]]


def _shares(counts: Mapping[str, Counter], profile: Profile) -> MU:
    out: MU = {}
    for name, levels in profile.items():
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


def count(pairs: Iterable[tuple[Levels, float]], profile: Profile | None = None) -> MU:
    """m and u from pairs with the probability that each is one person (1 or 0 for labelled pairs, EM's guess
    otherwise); a level not compared ("missing") counts for neither. ``profile`` (comparison → its levels) is
    the registry's unless given (family tracing: ``matching.tracing.TRACING.levels``)."""
    registry = profile is None
    profile = profile or LEVELS
    counts: dict[str, Counter] = {name: Counter() for name in profile}
    for found, same in pairs:
        if registry:
            found = REGISTRY.compared(found)
        for name, levels in profile.items():
            level = found.get(name, MISSING)
            if level in levels:
                counts[name][(level, True)] += same
                counts[name][(level, False)] += 1 - same
    return _shares(counts, profile)


def level_counts(pairs: Iterable[Levels]) -> dict[str, Counter]:
    """How often each level of each comparison occurs among ``pairs`` (as weighed: ``Profile.compared``)."""
    counts: dict[str, Counter] = {name: Counter() for name in FIELDS}
    for found in map(REGISTRY.compared, pairs):
        for name in FIELDS:
            level = found.get(name, MISSING)
            if level in LEVELS[name]:
                counts[name][level] += 1
    return counts


def shares(counts: Mapping[str, Counter]) -> dict[str, dict[str, float]]:
    """Each level's share of its comparison's ``counts``, smoothed like :func:`count`."""
    out: dict[str, dict[str, float]] = {}
    for name in FIELDS:
        total = sum(counts[name].values()) + SMOOTHING * len(LEVELS[name])
        out[name] = {level: (counts[name][level] + SMOOTHING) / total for level in LEVELS[name]}
    return out


def u_from_random(pairs: Iterable[Levels]) -> dict[str, dict[str, float]]:
    """u of every level: its share among ``pairs`` (the levels of pairs of records drawn at random, nearly all
    two different people), smoothed like :func:`count`."""
    return shares(level_counts(pairs))


def m_from_true(pairs: Iterable[Levels]) -> dict[str, dict[str, float]]:
    """m of every level: its share among ``pairs`` (the levels of pairs known to be one person), smoothed."""
    return shares(level_counts(pairs))


def m_of(m_u: Mapping[str, Mapping[str, tuple[float, float]]]) -> dict[str, dict[str, float]]:
    """The m of every level of ``m_u``."""
    return {name: {level: pair[0] for level, pair in levels.items()} for name, levels in m_u.items()}


def with_u(
    m: Mapping[str, Mapping[str, float]],
    u: Mapping[str, Mapping[str, float]],
    seen: Mapping[str, Counter] | None = None,
) -> MU:
    """(m, u) of every level from the two (:func:`m_from_true`, :func:`u_from_random`). With ``seen`` (how often
    each level occurred among the pairs m and u were counted on, together), a level seen fewer than ``MIN_SEEN``
    times is neutral (m = u): both shares are then the smoothing's, and their ratio says nothing."""
    out: MU = {}
    for name in FIELDS:
        out[name] = {}
        for level in LEVELS[name]:
            if level not in m.get(name, {}) or level not in u.get(name, {}):
                continue
            pair = (round(m[name][level], 6), round(u[name][level], 8))
            if seen is not None and seen[name][level] < MIN_SEEN:
                pair = (pair[1], pair[1])
            out[name][level] = pair
    return out


def seen_in(*pair_sets: Sequence[Levels]) -> dict[str, Counter]:
    """:func:`level_counts` of several sets of pairs together (for :func:`with_u`)."""
    total: dict[str, Counter] = {name: Counter() for name in FIELDS}
    for pairs in pair_sets:
        for name, counted in level_counts(pairs).items():
            total[name].update(counted)
    return total


def _log_odds(found: Levels, m_u: Mapping[str, Mapping[str, tuple[float, float]]], prior: float) -> float:
    total = math.log(prior / (1 - prior))
    found = REGISTRY.compared(found)
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
    each pair is one person and re-counts m and u from those guesses. ``labels`` (index → truth) replace the guess
    for the pairs a reviewer decided. The u found is that of the candidates a lookup returns (who share a name by
    construction), not the scorer's: keep its m (:func:`m_of`) with u from random pairs."""
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


def calibration_from_prior(prior: float) -> tuple[float, float]:
    """Slope and intercept of the Fellegi–Sunter posterior: bits are log2 odds, so the slope is ln 2, and the
    intercept the log odds of ``prior``, the share of the pairs scored that are one person."""
    prior = min(0.5, max(1e-9, prior))
    return round(math.log(2), 4), round(math.log(prior / (1 - prior)), 4)


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
