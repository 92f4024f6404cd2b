"""Re-estimate the duplicate scorer's weights from the registry (u on random pairs of its people, m by EM on its
lookups' candidates) and the review queue's decisions, and report how they changed. Run it after a large import
or once a few hundred pairs have been decided."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from hifazat.people.match_weights import MIN_DECISIONS, match_weights_estimate


class Command(BaseCommand):
    help = "Re-estimate the duplicate scorer's weights (EM on the registry, refined by review decisions)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sample", type=int, default=2000, help="people whose candidates are used")
        parser.add_argument("--seed", type=int, default=1, help="seed of the random sample")
        parser.add_argument("--dry-run", action="store_true", help="report the change, store nothing")

    def handle(self, *args, sample: int, seed: int, dry_run: bool, **options) -> None:
        found = match_weights_estimate(sample=sample, seed=seed, store=not dry_run)
        write = self.stdout.write
        write(
            f"Candidate pairs used: {found.pairs}, of which decided in the review queue: "
            f"{found.merged} merged, {found.dismissed} not the same person"
        )
        write(
            f"EM rounds: {found.iterations}; estimated share of candidate pairs that are one person: "
            f"{found.prior:.4f}"
        )
        if found.recalibrated:
            write(
                f"Calibration re-fitted on the decisions: slope {found.previous.slope:.3f} -> "
                f"{found.weights.slope:.3f}, intercept {found.previous.intercept:.3f} -> "
                f"{found.weights.intercept:.3f}"
            )
        else:
            write(
                f"Calibration from EM's share of true pairs: slope {found.previous.slope:.3f} -> "
                f"{found.weights.slope:.3f}, intercept {found.previous.intercept:.3f} -> "
                f"{found.weights.intercept:.3f} (fitted on the decisions once there are {MIN_DECISIONS} of each kind)"
            )
        write("Weight changes in bits (comparison, level: before -> after), largest first:")
        for name, level, before, after in found.changes():
            write(f"  {name}, {level}: {before:+.2f} -> {after:+.2f} ({after - before:+.2f})")
        if found.stored is not None:
            write(f"Stored as {found.stored.uuid}; duplicate lookups use these weights from now on.")
        else:
            write("Dry run: nothing stored.")
