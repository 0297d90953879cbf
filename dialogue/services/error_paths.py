"""Errors of a nested part of a request (an agenda entry, an action) named by their path."""

from commissioning.errors import DomainError


def _first_path(fields, path: str = "") -> str:
    """The path of the first problem in nested fields: actions[2].due_date."""
    if isinstance(fields, dict):
        for key, value in fields.items():
            found = _first_path(value, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(fields, list):
        for index, value in enumerate(fields):
            if isinstance(value, dict | list):
                found = _first_path(value, f"{path}[{index}]")
                if found:
                    return found
            elif value:
                return path
    return ""


def nested(exc: DomainError, *path) -> DomainError:
    """The same error with its fields moved under `path` ("actions", 2 -> actions[2].field),
    so that a problem deep in a logged meeting names where it is, in `fields` and in the
    message, the way DRF nests the errors of nested serializers."""
    fields = exc.fields or {"non_field_errors": [exc.message]}
    for part in reversed(path):
        fields = [*([{}] * part), fields] if isinstance(part, int) else {part: fields}
    bare = getattr(exc, "bare_message", exc.message)
    refused = type(exc)(
        f"{_first_path(fields)}: {bare}", fields=fields, code=exc.code, details=exc.details
    )
    refused.bare_message = bare
    return refused
