"""Load the demo world (demo.world) once, and print what was loaded and the logins;
`--reset` deletes the demo's rows first and loads it afresh (demo.reset)."""

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from demo import invitations, reset, summary, world


class Command(BaseCommand):
    help = (
        "Load the demo organisations, people and programmes (once; skipped if present). "
        "--reset deletes the demo and loads it afresh, with dates relative to today."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo's rows and load it afresh (its dates are relative to today).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="With --reset: reset even when the database holds people or organisations "
            "that are not the demo's (only the demo's rows are deleted, and what hangs on them).",
        )

    def handle(self, *args, **options):
        if options["reset"]:
            self._reset(force=options["force"])
        if get_user_model().objects.filter(username="anna.manager").exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            self._load()
        for line in [*summary.login_lines(), *invitations.invitation_lines()]:
            self.stdout.write(line)

    def _reset(self, *, force: bool) -> None:
        others = reset.strangers()
        if others and not force:
            raise CommandError(
                "Not reset: this database holds data that is not the demo's ("
                + ", ".join(others)
                + "). Resetting deletes the demo's organisations and people and everything "
                "that hangs on them, theirs included. Use a database of the demo's own, or "
                "add --force to reset anyway."
            )
        reset.wipe()
        self.stdout.write("The demo's rows were deleted.")

    def _load(self) -> None:
        # Loading a year of history fires its follow-ups (trust pulses, schedules) as it
        # would live; the emails are kept in memory rather than printed by the console
        # backend of `make demo`, a few thousand lines nobody reads.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            with transaction.atomic():
                refusal = world.load()
            follow_ups = len(mail.outbox)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("\n".join(summary.summary_lines(refusal)))
        self.stdout.write(f"Follow-up emails sent while loading (kept in memory): {follow_ups}")
