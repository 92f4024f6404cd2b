"""The OpenAPI schema of the API: drf-spectacular's, made truthful about the empty values that responses carry.

Two gaps in what drf-spectacular infers, both on read-only fields, where the schema describes what is sent:

- a field declared with ``default=None`` (``CharField(source="reviewed_by.username", default=None)``) answers
  ``null`` when the relation is empty, but drf-spectacular marks a field nullable only for ``allow_null``;
- a choice from a model field with ``blank=True`` (a case's closure outcome before it closes) answers ``""``, but
  DRF drops ``allow_blank`` from read-only fields, so the enum leaves the blank out.

``api.tests.test_schema`` checks every serializer of the API against its models, so that a new field with an
empty value that the schema does not allow fails there rather than at a client.
"""

from __future__ import annotations

import copy

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from rest_framework import serializers


def model_field_of(field: serializers.Field):
    """The model field that a serializer field of a ModelSerializer reads directly (``source`` without dots), or
    None."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or not getattr(field, "source", None) or "." in field.source or field.source == "*":
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None


class AutoSchema(openapi.AutoSchema):
    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if field.read_only and field.default is None:
            meta["nullable"] = True
        return meta

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.ChoiceField) and field.read_only and not field.allow_blank:
            model_field = model_field_of(field)
            if model_field is not None and model_field.blank:
                field = copy.copy(field)
                field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)
