"""The OpenAPI schema's view of refusals: every operation documents the 4xx answers it can
give, in the one error shape of api.errors, so a client (and the fuzzing test) can rely on
the schema for failures as well as for successes."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import force_instance
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from commissioning.api.base import InputSerializer
from commissioning.api.throttling import WRITE_METHODS

# status -> what it means here; each operation gets the ones that apply to it.
EVERY_OPERATION = {
    "400": "Invalid input: `fields` names each problem (also a bad page or page_size).",
    "404": "Nothing you may see at this address, or a page past the last.",
    "503": "The database could not be reached; nothing was saved. Try again after Retry-After.",
}
SIGNED_IN_OPERATIONS = {
    "401": "Not signed in: send a session cookie or `Authorization: Token …`.",
    "403": "Signed in, but not allowed to do this (or not a member of X-Acting-For).",
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


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request" and isinstance(force_instance(serializer), InputSerializer):
            # The server refuses fields it does not know (InputSerializer): say so.
            schema["additionalProperties"] = False
        return schema

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
