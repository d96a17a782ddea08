"""The OpenAPI description: who may call each operation, and every error it may answer.

``CaravanaAutoSchema`` adds to drf-spectacular's description of each operation:

* a "Who may call this" paragraph, written from the view's own role sets (the same sets
  the permission class enforces, so the two cannot drift apart);
* the error responses the operation can give (400, 401, 403, 404, 429), each with its
  body schema, so clients (and the schema fuzzing test) know them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, for a person."))


# A 400 body: errors per field ({"field": ["message", ...]}, "non_field_errors" for the
# whole object), or {"detail": "..."} when the request itself could not be read.
def validation_error_schema() -> dict:
    return {
        "type": "object",
        "description": str(_("Errors per field; non_field_errors for the whole object.")),
        "additionalProperties": {},
    }


ERROR_DESCRIPTIONS = {
    "400": _("Invalid input: the errors are listed per field. Nothing was saved."),
    "401": _("Sign in (session) or send a token (Authorization: Token <key>)."),
    "403": _("You may not do this here."),
    "404": _("Not found, or not visible to you."),
    "429": _("Too many requests: wait and try again."),
}


class CaravanaAutoSchema(AutoSchema):
    def get_description(self) -> str:
        description = super().get_description() or ""
        who = getattr(self.view, "permission_description", None)
        if who is None:
            return description
        text = who(self.method, getattr(self.view, "action", None))
        if not text:
            return description
        paragraph = str(_("**Who may call this:** %(who)s")) % {"who": text}
        return f"{description}\n\n{paragraph}".strip()

    def get_tags(self) -> list[str]:
        tag = getattr(self.view, "schema_tag", None)
        return [str(tag)] if tag else super().get_tags()

    def error_statuses(self) -> list[str]:
        statuses = getattr(self.view, "error_statuses", None)
        if statuses is None:
            return []
        return list(statuses(self.method, getattr(self.view, "action", None)))

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in self.error_statuses():
            if status in responses:
                continue
            body = validation_error_schema() if status == "400" else ErrorSerializer
            response = self._get_response_for_code(body, status, direction=direction)
            response["description"] = str(ERROR_DESCRIPTIONS[status])
            responses[status] = response
        return responses
