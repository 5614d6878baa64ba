"""OpenAPI schema of the API: every operation documents the error answers it can give, not only the success.

- 400 `ValidationErrors` – a request body, or query parameters (filters, search, pagination) that do not validate;
- 403 `ErrorDetail` – not signed in (session authentication answers 403, not 401) or not allowed;
- 404 `ErrorDetail` – a path with an id (missing, not visible, or not a number: all answer alike), or a page
  number past the end of a paginated list;
- 415 `ErrorDetail` – a request body in a media type the operation does not parse;
- 409 only where the view declares it (`@extend_schema(responses={409: ErrorDetail})`).
"""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorDetail(serializers.Serializer):
    detail = serializers.CharField()


class ValidationErrors(serializers.Serializer):
    """Field name (or `non_field_errors`) → list of messages; a nested object for nested input (e.g. `new_sender`).
    Declared as a free-form object: its keys are the fields of the request."""

    class Meta:
        ref_name = "ValidationErrors"


ERRORS = {
    "400": (ValidationErrors, "Invalid input: field name → messages (in the language of Accept-Language)."),
    "403": (ErrorDetail, "Not signed in, or not allowed."),
    "404": (ErrorDetail, "Not found (also for a record the user may not see)."),
    "415": (ErrorDetail, "Unsupported media type of the request body."),
}


class ObiegAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                serializer, description = ERRORS[code]
                response = self._get_response_for_code(serializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses

    def _error_codes(self):
        codes = ["403"]
        has_body = self.method in ("POST", "PUT", "PATCH")
        if has_body or any(p["in"] == "query" for p in self._get_parameters()):
            codes.append("400")
        if "{" in self.path or (self.method == "GET" and self._is_list_view() and self._get_paginator()):
            codes.append("404")
        if has_body:
            codes.append("415")
        return codes

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        if isinstance(serializer, ValidationErrors):
            return {"type": "object", "additionalProperties": {}, "description": ValidationErrors.__doc__.strip()}
        return super()._map_serializer(serializer, direction, bypass_extensions)


def nullable_as_oas31(result, generator, request, public):
    """Post-processing hook: DRF's paginators still describe `next`/`previous` in OpenAPI 3.0 style
    (`nullable: true`), which a 3.1 document does not know; turn that into `type: [..., "null"]`."""

    def walk(node):
        if isinstance(node, dict):
            if node.pop("nullable", False):
                kind = node.get("type")
                if isinstance(kind, str):
                    node["type"] = [kind, "null"]
                elif isinstance(kind, list) and "null" not in kind:
                    kind.append("null")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
