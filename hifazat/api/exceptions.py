"""How the API answers errors raised by the parts' services, in one place.

Services validate with Django's ``ValidationError`` and refuse with ``PermissionDenied``; views call them without
try/except and this handler gives the caller a 400 with the fields named, or a 403 that says what is missing. An
edit that started from an older version of the record than the one stored (``core.versioning.EditConflict``)
answers 409 Conflict.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler

from hifazat.core.access import ExplainedRefusal
from hifazat.core.versioning import EditConflict


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The record changed since you read it."
    default_code = "conflict"


def api_exception_handler(exc, context):
    if isinstance(exc, EditConflict):
        exc = Conflict(str(exc.message))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, ExplainedRefusal):
        exc = exceptions.PermissionDenied(exc.reason)
    return exception_handler(exc, context)
