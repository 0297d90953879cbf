"""The occasions that notify people, found by the relay (workers.relay.load_handlers imports
every app's `handlers`): importing each module registers its handlers and writers."""

from notifications.occasions import briefings, concerns, consultations, meetings  # noqa: F401
