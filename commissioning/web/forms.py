"""Refusals on forms: a service's DomainError shown beside the fields it names, with what was
typed kept, so nobody loses their work because one date was wrong."""

from django import forms
from django.utils.encoding import force_str

from commissioning.errors import DomainError


def show_refusal(form: forms.Form, error: DomainError, field_names: dict | None = None) -> None:
    """Put a service's refusal on the form, each problem once: when it names one field of the
    form, the service's message (which says what to fix) goes beside that field and nowhere
    else; when it names several, each gets its own problem and the message goes on top; when
    it names none on the form, the message goes on top. (`field_names` renames service names
    to form field names.)"""
    field_names = field_names or {}
    named: dict[str, list[str]] = {}
    for name, problems in (error.fields or {}).items():
        target = field_names.get(name, name)
        if target in form.fields:
            listed = problems if isinstance(problems, list | tuple) else [problems]
            named.setdefault(target, []).extend(force_str(problem) for problem in listed)
    message = force_str(error.message)
    if len(named) == 1:
        (target,) = named
        form.add_error(target, message)
        return
    for target, problems in named.items():
        for problem in problems:
            form.add_error(target, problem)
    if message not in form.non_field_errors():
        form.add_error(None, message)
