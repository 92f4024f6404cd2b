"""API v1 for the registry: households, people and consent, and duplicate detection (the check before
registering, the review queue, merge and undo), through the people part's services and selectors. Included under
/api/v1/ in the ``api`` namespace by ``api_urls``.

Lists never carry phone or identity numbers; a person's detail does, and reading it is audited like the page.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from hifazat.accounts.models import Organisation
from hifazat.api.permissions import api_actor
from hifazat.api.views import AuditedListMixin, ScopedMixin
from hifazat.core.access import get_visible_or_404
from hifazat.core.audit import audit_read
from hifazat.geography.models import AdminArea, Site
from hifazat.people import services
from hifazat.people.duplicates import candidates_for_registration
from hifazat.people.merge import person_merge, person_unmerge
from hifazat.people.models import Consent, DuplicateSuspicion, Household, Person, PersonMerge
from hifazat.people.search import person_search
from hifazat.people.selectors import (
    households_visible_to,
    merges_visible_to,
    persons_visible_to,
    persons_with_phone,
    suspicions_visible_to,
)


class HouseholdSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    site = serializers.SlugRelatedField(slug_field="uuid", queryset=Site.objects.all())
    origin_area = serializers.SlugRelatedField(
        slug_field="pcode", queryset=AdminArea.objects.all(), required=False, allow_null=True
    )
    head = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "site",
            "shelter_number",
            "origin_area",
            "origin_village",
            "arrival_date",
            "head",
            "version",
        ]
        read_only_fields = ["version"]


VERSION_HELP = "the version of the record you read; a record changed since is refused with 409"


class HouseholdUpdateSerializer(HouseholdSerializer):
    """A correction: any of the household's fields, the head among its members (by id), and the version read."""

    head = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Person.objects.none(), required=False, allow_null=True
    )
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    class Meta(HouseholdSerializer.Meta):
        read_only_fields = []


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    household = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Household.objects.all(), required=False, allow_null=True
    )
    age = serializers.IntegerField(read_only=True, allow_null=True)  # none without a birthdate
    vulnerability_groups = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "household",
            "relationship_to_head",
            "first_name",
            "second_name",
            "first_name_ur",
            "second_name_ur",
            "parentage_word",
            "parentage_name",
            "parentage_name_ur",
            "birthdate",
            "birthdate_is_estimate",
            "age",
            "gender",
            "marital_status",
            "number_of_children",
            "primary_language",
            "education",
            "citizenship",
            "disability",
            "child_status",
            "caregiver_name",
            "vulnerability_groups",
            "version",
        ]
        read_only_fields = ["birthdate_is_estimate", "version"]

    def get_vulnerability_groups(self, person) -> list[dict[str, str]]:
        return [{"group": v.group, "reason": v.reason} for v in person.vulnerabilities.all()]


class PersonDetailSerializer(PersonSerializer):
    phone = serializers.CharField(read_only=True)
    identity_number = serializers.CharField(read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "phone", "identity_number"]


class PersonCreateSerializer(PersonSerializer):
    """What registration takes beyond the person's fields: an age instead of a birth date, the numbers, and who
    consented to the registration."""

    age_years = serializers.IntegerField(required=False, min_value=0, max_value=120, write_only=True)
    phone = serializers.CharField(required=False, allow_blank=True, write_only=True)
    identity_number = serializers.CharField(required=False, allow_blank=True, write_only=True)
    consent_given_by = serializers.ChoiceField(choices=Consent.GivenBy.choices, write_only=True)
    consent_given_by_name = serializers.CharField(required=False, allow_blank=True, write_only=True)
    child_view = serializers.ChoiceField(choices=Consent.ChildView.choices, required=False, write_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [
            *PersonSerializer.Meta.fields,
            "age_years",
            "phone",
            "identity_number",
            "consent_given_by",
            "consent_given_by_name",
            "child_view",
        ]


class PersonUpdateSerializer(PersonSerializer):
    """A correction: any of the person's fields, an age instead of a birth date, the numbers, and the version
    read. Fields left out are not changed."""

    household = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Household.objects.none(), required=False, allow_null=True
    )
    age_years = serializers.IntegerField(required=False, min_value=0, max_value=120, write_only=True)
    phone = serializers.CharField(required=False, allow_blank=True, write_only=True)
    identity_number = serializers.CharField(required=False, allow_blank=True, write_only=True)
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "age_years", "phone", "identity_number"]
        read_only_fields = ["birthdate_is_estimate"]


class ConsentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    shared_with = serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Consent
        fields = [
            "id",
            "purpose",
            "shared_with",
            "status",
            "given_by",
            "given_by_name",
            "child_view",
            "decided_at",
        ]
        read_only_fields = ["decided_at"]


class HouseholdScope(ScopedMixin):
    serializer_class = HouseholdSerializer
    required_actions = {"GET": "people.view", "POST": "people.register", "PATCH": "people.register"}
    visible_model = Household

    def visible(self, actor):
        return households_visible_to(actor).order_by("-created_at")


class HouseholdList(HouseholdScope, generics.ListCreateAPIView):
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        household = services.household_register(actor=api_actor(request), **serializer.validated_data)
        return Response(self.get_serializer(household).data, status=status.HTTP_201_CREATED)


class HouseholdDetail(HouseholdScope, generics.RetrieveUpdateAPIView):
    """A household; PATCH corrects it through ``people.services.household_update`` (409: changed since the
    ``version`` given)."""

    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(request=HouseholdUpdateSerializer, responses=HouseholdSerializer)
    def patch(self, request, *args, **kwargs):
        return super().patch(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        household = self.get_object()
        serializer = HouseholdUpdateSerializer(household, data=request.data, partial=True)
        serializer.fields["head"].queryset = household.members.filter(
            is_active=True, merged_into__isnull=True
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        services.household_update(actor=api_actor(request), household=household, version=version, **data)
        return Response(HouseholdSerializer(self.get_queryset().get(pk=household.pk)).data)


class PersonScope(ScopedMixin):
    required_actions = {"GET": "people.view", "POST": "people.register", "PATCH": "people.register"}
    visible_model = Person

    def visible(self, actor):
        return persons_visible_to(actor).prefetch_related("vulnerabilities")


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="name, tolerant of spelling and script"),
        OpenApiParameter("phone", str),
        OpenApiParameter("group", str),
    ]
)
class PersonList(AuditedListMixin, PersonScope, generics.ListCreateAPIView):
    filter_names = ("q", "phone", "group")

    def get_serializer_class(self):
        return PersonCreateSerializer if self.request.method == "POST" else PersonSerializer

    def visible(self, actor):
        people = super().visible(actor)
        params = self.request.query_params
        if params.get("phone"):
            people = persons_with_phone(people, params["phone"])
        if params.get("group"):
            people = people.filter(vulnerabilities__group=params["group"]).distinct()
        if params.get("q"):
            return person_search(people, params["q"])
        return people.order_by("-created_at")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        actor = api_actor(request)
        if data.get("household") is not None:
            data["household"] = get_visible_or_404(households_visible_to(actor), data["household"].uuid)
        person = services.person_register(actor=actor, **data)
        return Response(PersonDetailSerializer(person).data, status=status.HTTP_201_CREATED)


class PersonDetail(PersonScope, generics.RetrieveUpdateAPIView):
    serializer_class = PersonDetailSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return get_visible_or_404(
            self.get_queryset(),
            self.kwargs["uuid"],
            actor=api_actor(self.request),
            audit=self.request.method == "GET",
        )

    @extend_schema(request=PersonUpdateSerializer, responses=PersonDetailSerializer)
    def patch(self, request, *args, **kwargs):
        return super().patch(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        """Correct the person through ``people.services.person_update``: only the fields given, and of those
        only the ones whose value changes, are written; 409 when the person changed since the ``version``
        given."""
        person = self.get_object()
        actor = api_actor(request)
        serializer = PersonUpdateSerializer(person, data=request.data, partial=True)
        serializer.fields["household"].queryset = households_visible_to(actor)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.person_update(actor=actor, person=person, version=data.pop("version", None), **data)
        return Response(PersonDetailSerializer(self.get_queryset().get(pk=person.pk)).data)


class ConsentList(ScopedMixin, generics.ListCreateAPIView):
    serializer_class = ConsentSerializer
    required_actions = {"GET": "people.view", "POST": "people.register"}
    visible_model = Consent

    def person(self):
        if not hasattr(self, "_person"):
            self._person = get_visible_or_404(
                persons_visible_to(api_actor(self.request)), self.kwargs["uuid"]
            )
        return self._person

    def visible(self, actor):
        return self.person().consents.select_related("shared_with")

    def list(self, request, *args, **kwargs):
        """A person's consent decisions: reading them is audited on the person, as the person's page is."""
        response = super().list(request, *args, **kwargs)
        audit_read(api_actor(request), self.person(), records="consents", count=len(response.data["results"]))
        return response

    def create(self, request, *args, **kwargs):
        person = self.person()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "decided_at"}
        consent = services.consent_record(actor=api_actor(request), person=person, **data)
        return Response(self.get_serializer(consent).data, status=status.HTTP_201_CREATED)


# --- Duplicate detection -----------------------------------------------------------------------------------


class CandidateSerializer(serializers.Serializer):
    person = serializers.UUIDField(source="person.uuid")
    name = serializers.CharField(source="person.full_name")
    score = serializers.FloatField(source="match.score")
    band = serializers.CharField(source="match.band")
    reasons = serializers.SerializerMethodField()

    def get_reasons(self, candidate) -> list[dict]:
        return [
            {"field": r.field, "outcome": r.outcome, "explanation": r.explanation}
            for r in candidate.match.reasons
        ]


class CandidateListSerializer(serializers.Serializer):
    candidates = CandidateSerializer(many=True)


class SuspicionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    person_a = serializers.UUIDField(source="person_a.uuid")
    person_b = serializers.UUIDField(source="person_b.uuid")

    class Meta:
        model = DuplicateSuspicion
        fields = ["id", "person_a", "person_b", "score", "band", "reasons", "status"]


class MergeRequestSerializer(serializers.Serializer):
    keep = serializers.UUIDField(
        help_text="the person whose record is kept: person_a or person_b of the pair"
    )
    reason = serializers.CharField(max_length=500)


class MergeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    kept = serializers.UUIDField(source="kept.uuid")
    removed = serializers.UUIDField(source="removed.uuid")
    moved = serializers.SerializerMethodField()

    class Meta:
        model = PersonMerge
        fields = ["id", "kept", "removed", "reason", "moved", "undone_at"]

    def get_moved(self, merge) -> int:
        return len(merge.moved)


class DuplicateCheck(ScopedMixin, generics.GenericAPIView):
    """POST the registration you are about to make: the people already registered who may be the same person,
    with their score and the reasons. Nothing is written."""

    serializer_class = PersonCreateSerializer
    required_actions = {"POST": "people.register"}
    visible_model = DuplicateSuspicion

    @extend_schema(responses=CandidateListSerializer)
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        actor = api_actor(request)
        household = data.pop("household", None)
        if household is not None:
            household = get_visible_or_404(households_visible_to(actor), household.uuid)
        candidates = candidates_for_registration(actor=actor, data=data, household=household)
        return Response({"candidates": CandidateSerializer(candidates, many=True).data})


class SuspicionList(ScopedMixin, generics.ListAPIView):
    serializer_class = SuspicionSerializer
    required_actions = {"GET": "people.merge"}
    visible_model = DuplicateSuspicion

    def visible(self, actor):
        return suspicions_visible_to(actor).filter(status=DuplicateSuspicion.Status.OPEN)


class SuspicionMerge(ScopedMixin, generics.GenericAPIView):
    """Merge the pair: the record named by ``keep`` stays, the other is merged into it."""

    serializer_class = MergeRequestSerializer
    required_actions = {"POST": "people.merge"}
    visible_model = DuplicateSuspicion

    def visible(self, actor):
        return suspicions_visible_to(actor)

    def post(self, request, *args, **kwargs):
        suspicion = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        a, b = suspicion.person_a, suspicion.person_b
        keep_uuid = serializer.validated_data["keep"]
        if keep_uuid not in {a.uuid, b.uuid}:
            raise serializers.ValidationError({"keep": "Name one of the two people of this pair."})
        keep, remove = (a, b) if keep_uuid == a.uuid else (b, a)
        merge = person_merge(
            actor=api_actor(request), keep=keep, remove=remove, reason=serializer.validated_data["reason"]
        )
        return Response(MergeSerializer(merge).data, status=status.HTTP_201_CREATED)


class UndoSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class MergeUndo(ScopedMixin, generics.GenericAPIView):
    serializer_class = UndoSerializer
    required_actions = {"POST": "people.merge"}
    visible_model = PersonMerge

    def visible(self, actor):
        return merges_visible_to(actor)

    def post(self, request, *args, **kwargs):
        merge = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        merge = person_unmerge(
            actor=api_actor(request), merge=merge, reason=serializer.validated_data["reason"]
        )
        return Response(MergeSerializer(merge).data)
