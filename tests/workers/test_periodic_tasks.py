"""setup_periodic_tasks writes the beat schedule: the relay sweep every minute, the
reminders daily at 07:00 Stockholm time and due trust pulses hourly in the working day,
once however often it runs, keeping what the admin changed unless told to reset."""

import io

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

pytestmark = pytest.mark.django_db


def setup_periodic_tasks(*args) -> str:
    out = io.StringIO()
    call_command("setup_periodic_tasks", *args, stdout=out)
    return out.getvalue()


def test_the_sweep_runs_every_minute_and_the_reminders_at_seven_in_stockholm():
    setup_periodic_tasks()

    sweep = PeriodicTask.objects.get(task="workers.relay.relay_pending")
    assert (sweep.interval.every, sweep.interval.period) == (1, IntervalSchedule.MINUTES)
    assert sweep.enabled
    reminders = PeriodicTask.objects.get(task="workers.reminders.jobs.send_due_reminders")
    crontab = reminders.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("0", "7", "*")
    assert str(crontab.timezone) == "Europe/Stockholm"
    pulses = PeriodicTask.objects.get(task="workers.pulses.send_due_pulses")
    assert (pulses.crontab.minute, pulses.crontab.hour) == ("5", "7-18")


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
    PeriodicTask.objects.filter(task="workers.reminders.jobs.send_due_reminders").update(
        crontab=eight, enabled=False
    )

    setup_periodic_tasks()

    reminders = PeriodicTask.objects.get(task="workers.reminders.jobs.send_due_reminders")
    assert (reminders.crontab_id, reminders.enabled) == (eight.pk, False)


def test_reset_puts_the_schedule_back_to_the_defaults():
    setup_periodic_tasks()
    eight = CrontabSchedule.objects.create(minute="0", hour="8", timezone="Europe/Stockholm")
    PeriodicTask.objects.filter(task="workers.reminders.jobs.send_due_reminders").update(
        crontab=eight, enabled=False
    )

    setup_periodic_tasks("--reset")

    reminders = PeriodicTask.objects.get(task="workers.reminders.jobs.send_due_reminders")
    assert reminders.crontab.hour == "7"
    assert reminders.enabled
    assert PeriodicTask.objects.filter(task__startswith="workers.").count() == 3


def test_the_scheduled_tasks_exist():
    """The rows name tasks by their dotted path: a renamed task would be silently skipped
    by beat, so check that the worker knows every one of them."""
    from config.celery import app

    setup_periodic_tasks()

    app.loader.import_default_modules()
    for task in PeriodicTask.objects.filter(task__startswith="workers."):
        assert task.task in app.tasks, task.task
