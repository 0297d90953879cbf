"""Generated data at scale for the benchmarks (bench/) and the scale tests: see
demo.scale_data for what is made. No Events are written: the generated history did
not happen through the services, and relaying years of it would send years of emails.

    uv run python manage.py generate_scale_data --scale 1 --seed 1
    uv run python manage.py generate_scale_data --scale 0.01 --replace
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from demo import scale_data


class Command(BaseCommand):
    help = "Write years of generated commissioning data (PostgreSQL; --scale 1 is full scale)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            required=True,
            help="1 is full scale (8,000 contracts, 250,000 comments, ...); 0.01 for tests.",
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same data.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the data an earlier run generated before generating anew.",
        )

    def handle(self, *args, scale, seed, replace, **options):
        if scale <= 0:
            raise CommandError("Give a scale above 0, e.g. --scale 1 or --scale 0.01.")
        if connection.vendor != "postgresql":
            raise CommandError(
                "The scale data is written with PostgreSQL's COPY: set DATABASE_URL to a "
                "PostgreSQL database."
            )
        found = scale_data.generated()
        if any(found.values()) and not replace:
            raise CommandError(
                f"This database already holds generated data ({found['organisations']} "
                f"organisations, {found['people']} people). Run with --replace to delete it "
                "and generate anew."
            )
        started = time.perf_counter()
        with transaction.atomic():
            if any(found.values()):
                scale_data.delete_generated()
                self.stdout.write(f"deleted the earlier generated data: {_seconds(started)}")
            built = scale_data.generate(scale=scale, seed=seed, say=self.stdout.write)
        if not connection.in_atomic_block:  # the tests run it inside their transaction
            scale_data.vacuum(built)
            self.stdout.write(f"vacuumed and analysed: {_seconds(started)}")
        width = max(len(name) for name in built.counts)
        for name, count in built.counts.items():
            self.stdout.write(f"{name.ljust(width)}  {count:>9,}")
        self.stdout.write(
            self.style.SUCCESS(f"generated scale {scale:g}, seed {seed} in {_seconds(started)}")
        )


def _seconds(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"
