"""Refusals on forms: a service's DomainError shown beside the fields it names, with what was
typed kept, so nobody loses their work because one date was wrong."""

from django import forms
from django.utils.encoding import force_str

from commissioning.errors import Conflict, DomainError, RuleViolation


def show_refusal(form: forms.Form, error: DomainError, field_names: dict | None = None) -> None:
    """Put a service's refusal on the form, each problem once: each field it names
    (renamed by `field_names`, service name -> form field name) gets its own problem, which
    the error summary lists with the field's label; the service's message, written for API
    clients, goes on top only when it names no field of the form."""
    field_names = field_names or {}
    placed = False
    for name, problems in (error.fields or {}).items():
        target = field_names.get(name, name)
        if target in form.fields:
            for problem in problems if isinstance(problems, list | tuple) else [problems]:
                form.add_error(target, force_str(problem))
                placed = True
    message = force_str(error.message)
    if not placed and message not in form.non_field_errors():
        form.add_error(None, message)


def submit(request, form: forms.Form, act, refusals=(RuleViolation, Conflict)) -> int | None:
    """A form's POST carried out: `act(cleaned_data)` when the form is valid. None when it
    was done (the view then says so and redirects); else the status to show the form with:
    200 for a GET, 400 for what was typed wrong, the refusal's status when the service
    refused (its problems put on the form by show_refusal, nothing saved)."""
    if request.method != "POST":
        return 200
    if not form.is_valid():
        return 400
    try:
        act(form.cleaned_data)
    except refusals as error:
        show_refusal(form, error)
        return error.status
    return None
