"""All the benchmarks in one process on one database, in one table.

Each figure stands beside its floor measured in the same run and its target.

    uv run python bench/run.py

The options of the single scripts are here with the benchmark's name in front
(--surge-clients, --surge-comments, --briefing-comments, --briefing-runs,
--pulse-organisations, --pulse-people, --lists-scale, --lists-seed, --lists-runs).
The list endpoints run last, on generated data of --lists-scale (default 1, full scale:
about two million rows, generated in the run unless the database holds them already).
The exit status is 0 only when every target is met. Without a postgres://
DATABASE_URL a throwaway server is started (tests/postgresql_server.py) and
removed at the end. Not part of the test suite.
"""

import argparse
import sys

import briefing_render
import consultation_surge
import harness
import list_endpoints
import pulse_invitations

# The surge first: it forks its clients, best before anything else has loaded.
BENCHMARKS = {
    "surge_": consultation_surge.measure,
    "briefing_": briefing_render.measure,
    "pulse_": pulse_invitations.measure,
    # Last: the generated data would only slow down the set-up of the others.
    "lists_": list_endpoints.measure,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for prefix, measure in BENCHMARKS.items():
        harness.add_options(parser, measure, prefix)
    options = parser.parse_args()
    with harness.database() as url:
        # One set-up for all: the surge needs nothing of its own, the other two want tasks
        # in-process, and the pulses the locmem email backend.
        harness.setup_django(
            url,
            quiet=briefing_render.NOISY_LOGGERS,
            **{**briefing_render.django_env(), **pulse_invitations.DJANGO_ENV},
        )
        rows = [
            row
            for prefix, measure in BENCHMARKS.items()
            for row in measure(**harness.options_for(options, measure, prefix))
        ]
        return harness.report(f"benchmarks, one run, {harness.machine()}", rows)


if __name__ == "__main__":
    sys.exit(main())
