"""The OpenAPI schema says what the server takes and answers, so that a client (and the
fuzzing tests) can rely on it for refusals as well as successes: every operation documents
the 4xx answers it can give, in the one error shape of api.errors; request bodies refuse
unknown fields; a PATCH body says which fields it needs (InputSerializer's `patch_*`); a
text never holds the NUL character (PostgreSQL stores none: the server refuses it, 400); a
file's address documents no `?format=` (it has one representation and ignores it)."""

from django.core.validators import RegexValidator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import force_instance
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from commissioning.api.base import FileView, InputSerializer
from commissioning.api.throttling import WRITE_METHODS

# status -> what it means here; each operation gets the ones that apply to it.
EVERY_OPERATION = {
    "400": "Invalid input: `fields` names each problem (also a bad page or page_size).",
    "404": "Nothing you may see at this address, or a page past the last.",
    "503": "The database could not be reached; nothing was saved. Try again after Retry-After.",
}
SIGNED_IN_OPERATIONS = {
    "401": "Not signed in: send a session cookie or `Authorization: Token …`.",
    "403": (
        "Signed in, but not allowed to do this (or not a member of X-Acting-For, or "
        "`two_factor_required`: the installation requires two-factor sign-in for purchaser "
        "staff and this person has not set it up yet)."
    ),
}
WRITES = {
    "409": "Not possible in the object's present state; `details` says what is.",
    "413": "The request body is larger than the installation accepts.",
    "415": "The body is not JSON.",
    "429": "Too many writes; try again after Retry-After seconds.",
}


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable, e.g. `invalid`, `not_found`.")
    message = serializers.CharField(help_text="What was wrong and what to do, in words.")
    fields = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Each invalid field and its problems (nested for nested input).",
    )
    details = serializers.JSONField(
        required=False, help_text="Structured facts, e.g. the states a contract may move to."
    )


class Error(serializers.Serializer):
    error = ErrorDetail()


# A text without the NUL character, which DRF's and Django's text fields refuse
# (ProhibitNullCharactersValidator) because PostgreSQL cannot store it.
NO_NUL = "^[^\\u0000]*$"


def _without_nul(schema: dict) -> dict:
    plain_text = schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema)
    return {**schema, "pattern": NO_NUL} if plain_text else schema


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        serializer = force_instance(serializer)
        if direction == "request" and isinstance(serializer, InputSerializer):
            # The server refuses fields it does not know (InputSerializer): say so.
            schema["additionalProperties"] = False
            if self.method == "PATCH" and serializer.patch_needs_a_field:
                schema["minProperties"] = 1
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # A field with a pattern of its own (added after this, from its validator) keeps it.
        patterned = any(isinstance(v, RegexValidator) for v in field.validators)
        return _without_nul(schema) if direction == "request" and not patterned else schema

    def _get_request_for_media_type(self, serializer, direction="request"):
        instance = force_instance(serializer)
        if self.method == "PATCH" and not getattr(instance, "patch_is_partial", True):
            # Validated whole: the body's required fields are required (no Patched… copy).
            self.method = "PUT"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter.get("in") == "query" and "schema" in parameter:
                parameter["schema"] = _without_nul(parameter["schema"])
        return parameters

    def _get_format_parameters(self):
        if isinstance(self.view, FileView):
            return []  # one representation, whatever ?format= says
        return super()._get_format_parameters()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        refusals = dict(EVERY_OPERATION)
        public = any(issubclass(p, AllowAny) for p in getattr(self.view, "permission_classes", ()))
        if not public:
            refusals |= SIGNED_IN_OPERATIONS
        if self.method in WRITE_METHODS:
            refusals |= WRITES
        for status, description in refusals.items():
            if status not in responses:
                responses[status] = {
                    **self._get_response_for_code(Error, status, ["application/json"], direction),
                    "description": description,
                }
        return responses
