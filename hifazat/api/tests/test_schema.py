"""The OpenAPI schema tells the truth about empty values: what the API sends as null or "" the schema allows.

Clients generated from the schema (and the CI fuzzing step, ``.ci/fuzz-api``) reject a response that the schema
does not describe, so a field that can be empty must say so.
"""

from __future__ import annotations

import functools

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator
from rest_framework import serializers

from hifazat.cases import services as cases
from hifazat.core.roles import Role
from hifazat.people.tests.test_registry import RegistryTestCase


def _json_schema(node):
    """OpenAPI 3.0 to JSON Schema: ``nullable: true`` becomes "or null"."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
    return node


def _allows(schema: dict, value) -> bool:
    """Whether a property's schema (references followed) accepts ``value``."""
    return Draft202012Validator({**_json_schema(schema), "components": _generated()[1]}).is_valid(value)


def _can_be_empty(model_field) -> bool:
    """Whether reading this model field can give None: a nullable column or foreign key, or a reverse one-to-one
    that may have no row (a list of related rows is never None)."""
    if model_field.one_to_many or model_field.many_to_many:
        return False
    if model_field.one_to_one and not model_field.concrete:
        return True
    return model_field.null


# Fields whose model allows null but whose API never reads one, and why.
NEVER_NULL_IN_THE_API = {
    "Attendee.person": "the attendee list holds only attendances of registered people (SessionAttendees.visible)",
}


def _model_path(serializer, field):
    """The model fields that ``field`` reads through (``source="owner.username"``: owner, then username), as far
    as they are model fields; empty for a serializer without a model."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    path = []
    if model is None or field.source == "*":
        return path
    for step in field.source.split("."):
        try:
            model_field = model._meta.get_field(step)
        except FieldDoesNotExist:
            break
        path.append(model_field)
        model = model_field.related_model
        if model is None:
            break
    return path


@functools.cache
def _generated():
    """The schema, its components as JSON Schema, and its response components with the serializer each describes
    (generated once: it is slow)."""
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    # A request component is named with "Request" after the serializer's name.
    components = [
        component
        for component in generator.registry._components.values()
        if component.type == "schemas"
        and isinstance(component.object, serializers.BaseSerializer)
        and component.name == type(component.object).__name__.removesuffix("Serializer")
    ]
    return schema, _json_schema(schema["components"]), components


class SchemaAgainstModelsTests(RegistryTestCase):
    """Every field of every serializer in the schema, read against its model."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.schema, _, cls.components = _generated()

    def test_the_schema_describes_every_serializer_of_the_api(self) -> None:
        self.assertGreater(len(self.components), 50)

    def test_a_field_that_can_read_null_from_its_model_is_nullable(self) -> None:
        wrong = []
        schemas = self.schema["components"]["schemas"]
        for component in self.components:
            serializer = component.object
            properties = schemas[component.name].get("properties", {})
            for name, field in serializer.fields.items():
                if name not in properties or field.write_only:
                    continue
                if f"{component.name}.{name}" in NEVER_NULL_IN_THE_API:
                    continue
                path = _model_path(serializer, field)
                whole = len(path) == len(field.source.split("."))  # the value itself is a model field's
                can_be_null = any(_can_be_empty(f) for f in path[:-1]) or (whole and _can_be_empty(path[-1]))
                if can_be_null and not _allows(properties[name], None):
                    wrong.append(f"{component.name}.{name}")
        self.assertEqual(wrong, [], "declare these with allow_null=True, or default=None when read-only")

    def test_a_choice_that_can_be_blank_in_its_model_allows_the_blank(self) -> None:
        wrong = []
        schemas = self.schema["components"]["schemas"]
        for component in self.components:
            serializer = component.object
            properties = schemas[component.name].get("properties", {})
            for name, field in serializer.fields.items():
                if (
                    name not in properties
                    or field.write_only
                    or not isinstance(field, serializers.ChoiceField)
                ):
                    continue
                path = _model_path(serializer, field)
                whole = len(path) == len(field.source.split("."))
                if whole and path[-1].blank and not _allows(properties[name], ""):
                    wrong.append(f"{component.name}.{name}")
        self.assertEqual(wrong, [])


class ResponsesAgainstSchemaTests(RegistryTestCase):
    """Real responses with empty values, validated against the schema of their operation."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.schema = _generated()[0]

    def assertMatchesSchema(self, path: str, method: str, response) -> None:
        operation = self.schema["paths"][path][method]
        documented = operation["responses"][str(response.status_code)]
        schema = documented["content"]["application/json"]["schema"]
        validator = Draft202012Validator({**_json_schema(schema), "components": _generated()[1]})
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(response.json())
        ]
        self.assertEqual(errors, [], f"{method.upper()} {path}")

    def test_an_area_without_a_parent_matches_the_schema(self) -> None:
        response = self.token_client(self.a[Role.CASEWORKER]).get("/api/v1/areas/")
        self.assertIn(None, [area["parent_pcode"] for area in response.json()["results"]])
        self.assertMatchesSchema("/api/v1/areas/", "get", response)

    def test_a_person_without_a_birthdate_matches_the_schema(self) -> None:
        person = self.register("Nasreen")
        client = self.token_client(self.a[Role.CASEWORKER])
        detail = client.get(f"/api/v1/people/{person.uuid}/")
        self.assertIsNone(detail.json()["age"])
        self.assertMatchesSchema("/api/v1/people/{uuid}/", "get", detail)
        self.assertMatchesSchema("/api/v1/people/", "get", client.get("/api/v1/people/"))

    def test_an_open_case_without_an_outcome_matches_the_schema(self) -> None:
        case = cases.case_open(actor=self.caseworker, person=self.register("Nasreen"), origin="walk_in")
        response = self.token_client(self.a[Role.CASEWORKER]).get(f"/api/v1/cases/{case.uuid}/")
        self.assertEqual(response.json()["closure_outcome"], "")
        self.assertMatchesSchema("/api/v1/cases/{uuid}/", "get", response)

    def test_the_duplicate_check_matches_the_schema(self) -> None:
        self.register("Nasreen", second_name="Bibi", age_years=30)
        response = self.token_client(self.a[Role.CASEWORKER]).post(
            "/api/v1/people/check-duplicates/",
            {
                "first_name": "Nasreen",
                "second_name": "Bibi",
                "gender": "Feminine",
                "consent_given_by": "self",
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertMatchesSchema("/api/v1/people/check-duplicates/", "post", response)
