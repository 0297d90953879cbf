"""Placeholder until this module gets its tasks."""
