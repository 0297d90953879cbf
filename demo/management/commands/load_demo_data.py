"""Load the demo world (demo.world) once, and print what was loaded and the logins."""

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from demo import invitations, summary, world


class Command(BaseCommand):
    help = "Load the demo organisations, people and programmes (once; skipped if present)."

    def handle(self, *args, **options):
        if get_user_model().objects.filter(username="anna.manager").exists():
            self.stdout.write("Demo data is already loaded.")
        else:
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
        for line in [*summary.login_lines(), *invitations.invitation_lines()]:
            self.stdout.write(line)
