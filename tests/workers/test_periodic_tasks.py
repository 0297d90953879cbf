"""setup_periodic_tasks writes the beat schedule: the relay sweep every minute, the
reminders daily at 07:00 Stockholm time and due trust pulses hourly in the working day,
once however often it runs, keeping what the admin changed unless told to reset."""

import io

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from workers.management.commands.setup_periodic_tasks import PERIODIC_TASKS

pytestmark = pytest.mark.django_db


def setup_periodic_tasks(*args) -> str:
    out = io.StringIO()
    call_command("setup_periodic_tasks", *args, stdout=out)
    return out.getvalue()


def test_the_sweep_runs_every_minute_and_the_reminders_at_seven_in_stockholm():
    setup_periodic_tasks()

    sweep = PeriodicTask.objects.get(task="workers.relay_tasks.relay_pending")
    assert (sweep.interval.every, sweep.interval.period) == (1, IntervalSchedule.MINUTES)
    assert sweep.enabled
    reminders = PeriodicTask.objects.get(task="workers.reminder_tasks.send_due_reminders")
    crontab = reminders.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("0", "7", "*")
    assert str(crontab.timezone) == "Europe/Stockholm"
    pulses = PeriodicTask.objects.get(task="workers.pulse_tasks.send_due_pulses")
    assert (pulses.crontab.minute, pulses.crontab.hour) == ("5", "7-18")


def test_the_notifications_are_swept_every_five_minutes_and_the_digests_every_fifteen():
    setup_periodic_tasks()

    sweep = PeriodicTask.objects.get(task="notifications.deliver_pending")
    assert (sweep.interval.every, sweep.interval.period) == (5, IntervalSchedule.MINUTES)
    digests = PeriodicTask.objects.get(task="notifications.send_due_digests")
    assert (digests.interval.every, digests.interval.period) == (15, IntervalSchedule.MINUTES)
    assert digests.enabled
    assert digests.expires is None
    assert digests.expire_seconds < 15 * 60


def test_running_it_twice_creates_nothing_twice():
    setup_periodic_tasks()
    output = setup_periodic_tasks()

    assert PeriodicTask.objects.filter(task__startswith="workers.").count() == 3
    assert IntervalSchedule.objects.filter(every=1, period=IntervalSchedule.MINUTES).count() == 1
    assert CrontabSchedule.objects.filter(minute="0", hour="7").count() == 1
    assert "Created" not in output


def test_a_schedule_changed_in_the_admin_is_kept():
    setup_periodic_tasks()
    eight = CrontabSchedule.objects.create(minute="0", hour="8", timezone="Europe/Stockholm")
    PeriodicTask.objects.filter(task="workers.reminder_tasks.send_due_reminders").update(
        crontab=eight, enabled=False
    )

    setup_periodic_tasks()

    reminders = PeriodicTask.objects.get(task="workers.reminder_tasks.send_due_reminders")
    assert (reminders.crontab_id, reminders.enabled) == (eight.pk, False)


def test_reset_puts_the_schedule_back_to_the_defaults():
    setup_periodic_tasks()
    eight = CrontabSchedule.objects.create(minute="0", hour="8", timezone="Europe/Stockholm")
    PeriodicTask.objects.filter(task="workers.reminder_tasks.send_due_reminders").update(
        crontab=eight, enabled=False
    )

    setup_periodic_tasks("--reset")

    reminders = PeriodicTask.objects.get(task="workers.reminder_tasks.send_due_reminders")
    assert reminders.crontab.hour == "7"
    assert reminders.enabled
    assert PeriodicTask.objects.filter(task__startswith="workers.").count() == 3


def test_the_scheduled_tasks_exist():
    """The rows name tasks by their dotted path: a renamed task would be silently skipped
    by beat, so check that the worker knows every one of them."""
    from config.celery import app

    setup_periodic_tasks()

    app.loader.import_default_modules()
    tasks = PeriodicTask.objects.filter(task__regex=r"^(workers|notifications)\.")
    assert tasks.count() == len(PERIODIC_TASKS)
    for task in tasks:
        assert task.task in app.tasks, task.task
