"""One fresh process's share of the single-call rounds, printed as JSON.

::

    python -m benchmarks.calls_process URL PROFILE ROUNDS

Prints ``{scenario: {client: [[wall, cpu], ...]}}``, seconds per call, one
pair per round. ``benchmarks.run`` starts several of these one after another
and pools their rounds (see :func:`benchmarks.scenario_calls.single_calls`).
"""

from __future__ import annotations

import argparse
import asyncio
import json

from benchmarks.profiles import PROFILES
from benchmarks.scenario_calls import measure_single_calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("profile", choices=sorted(PROFILES))
    parser.add_argument("rounds", type=int)
    args = parser.parse_args()
    measured = asyncio.run(measure_single_calls(args.url, PROFILES[args.profile], args.rounds))
    print(
        json.dumps(
            {
                scenario: {
                    name: [[s.wall, s.cpu] for s in series.samples]
                    for name, series in results.items()
                }
                for scenario, results in measured.items()
            }
        )
    )


if __name__ == "__main__":
    main()
