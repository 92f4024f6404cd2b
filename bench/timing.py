"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def measure(function: Callable[[], object], *, repeat: int, warmup: int = 3) -> dict[str, float]:
    """Run ``function`` ``repeat`` times after a warm-up; return p50, p95 and max in milliseconds."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[max(0, int(len(samples) * 0.95) - 1)],
        "max": samples[-1],
    }


def report(
    name: str, figures: dict[str, float], baseline: dict[str, float] | None = None, size: str = ""
) -> None:
    line = f"{name:<48} p50 {figures['p50']:7.2f} ms  p95 {figures['p95']:7.2f} ms"
    if baseline is not None:
        line += f"  ratio to baseline (p95) {figures['p95'] / baseline['p95']:5.2f}"
    if size:
        line += f"  [{size}]"
    print(line, flush=True)


def estimate_command(estimate: Callable[[], None], name: str) -> None:
    """``python -m bench.bench_<name> estimate``: re-fit a benchmark's weights on its labelled data and print them
    (the benchmark itself runs with ``python -m bench <name>``)."""
    import os
    import sys

    os.environ.setdefault("HIFAZAT_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if sys.argv[1:] != ["estimate"]:
        sys.exit(
            f"usage: python -m bench.bench_{name} estimate (the benchmark runs with python -m bench {name})"
        )
    estimate()
