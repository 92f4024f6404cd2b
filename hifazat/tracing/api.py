"""API v1 for family tracing: requests (list, detail, create), candidates both ways with the explanation of each
score, decisions on candidates, the confirmed match and the reunification checklist. Through the tracing part's
services and selectors: only children whose family-tracing consent is in force are ever searched or returned."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from hifazat.api.permissions import api_actor
from hifazat.api.views import ScopedMixin
from hifazat.cases.selectors import cases_visible_to
from hifazat.core.access import get_visible_or_404
from hifazat.geography.models import AdminArea, Site
from hifazat.people.models import Gender, Person
from hifazat.people.selectors import persons_visible_to
from hifazat.tracing import selectors, services
from hifazat.tracing.models import (
    BestInterests,
    CandidateStatus,
    ChecklistItem,
    ChildView,
    InquirerRelationship,
    TracingRequest,
    TracingStatus,
)


class TracingRequestSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    origin_area = serializers.SlugRelatedField(
        slug_field="pcode", queryset=AdminArea.objects.all(), required=False, allow_null=True
    )
    separation_area = serializers.SlugRelatedField(
        slug_field="pcode", queryset=AdminArea.objects.all(), required=False, allow_null=True
    )
    inquirer_site = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Site.objects.all(), required=False, allow_null=True
    )
    case = serializers.SlugRelatedField(
        slug_field="uuid", queryset=cases_visible_to(None), required=False, allow_null=True
    )
    caseworker = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)
    matched_person = serializers.SerializerMethodField()

    class Meta:
        model = TracingRequest
        fields = [
            "id",
            "number",
            "status",
            "received_on",
            "caseworker",
            "case",
            "inquirer_name",
            "inquirer_relationship",
            "inquirer_site",
            "inquirer_address",
            "inquirer_consent",
            "first_name",
            "second_name",
            "first_name_ur",
            "second_name_ur",
            "parentage_name",
            "parentage_name_ur",
            "mother_name",
            "gender",
            "birthdate",
            "birthdate_is_estimate",
            "description",
            "origin_area",
            "origin_village",
            "separation_date",
            "separation_area",
            "separation_place",
            "circumstances",
            "matched_person",
            "matched_at",
            "reunified_on",
            "closed_on",
            "closure_reason",
            "version",
        ]
        read_only_fields = [
            "version",
            "number",
            "status",
            "birthdate_is_estimate",
            "matched_at",
            "reunified_on",
            "closed_on",
            "closure_reason",
        ]
        extra_kwargs = {"received_on": {"required": False, "help_text": "today if not given"}}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["case"].queryset = cases_visible_to(api_actor(request))

    def get_matched_person(self, tracing) -> str | None:
        """The matched child's id, while their family-tracing consent is in force."""
        actor = api_actor(self.context["request"])
        child = selectors.matched_child(actor, tracing) if actor else None
        return str(child.uuid) if child else None


class TracingRequestDetailSerializer(TracingRequestSerializer):
    inquirer_phone = serializers.CharField(read_only=True)

    class Meta(TracingRequestSerializer.Meta):
        fields = [*TracingRequestSerializer.Meta.fields, "inquirer_phone"]


class TracingRequestCreateSerializer(TracingRequestSerializer):
    """What recording a request takes beyond its fields: the inquirer's phone and an age instead of a date."""

    phone = serializers.CharField(required=False, allow_blank=True, write_only=True)
    age_years = serializers.IntegerField(required=False, min_value=0, max_value=120, write_only=True)
    inquirer_relationship = serializers.ChoiceField(choices=InquirerRelationship.choices)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)

    class Meta(TracingRequestSerializer.Meta):
        fields = [*TracingRequestSerializer.Meta.fields, "phone", "age_years"]


class ComparisonSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    level = serializers.CharField()
    outcome = serializers.CharField(help_text="agrees, partly, differs, or missing (not compared: neutral)")
    weight = serializers.FloatField(
        help_text="bits of evidence (log2 m/u) for the child being the one sought"
    )
    sought = serializers.CharField(help_text="the request's value")
    found = serializers.CharField(help_text="the registered child's value")
    explanation = serializers.CharField(source="text")


class MatchSerializer(serializers.Serializer):
    probability = serializers.FloatField(
        help_text="calibrated: of pairs scored 0.9, about nine in ten are true"
    )
    band = serializers.CharField()
    weight = serializers.FloatField()
    comparisons = ComparisonSerializer(many=True)


class ChildCandidateSerializer(serializers.Serializer):
    person = serializers.UUIDField(source="person.uuid")
    name = serializers.CharField(source="person.full_name")
    name_ur = serializers.CharField(source="person.full_name_ur")
    status = serializers.CharField(
        help_text="the team's decision: open, proposed, confirmed, rejected, or empty"
    )
    match = MatchSerializer()


class RequestCandidateSerializer(serializers.Serializer):
    request = serializers.UUIDField(source="request.uuid")
    number = serializers.CharField(source="request.number")
    status = serializers.CharField()
    match = MatchSerializer()


class ChildCandidateListSerializer(serializers.Serializer):
    candidates = ChildCandidateSerializer(many=True)


class RequestCandidateListSerializer(serializers.Serializer):
    traceable = serializers.BooleanField(
        help_text="false while the child's family-tracing consent is not in force"
    )
    candidates = RequestCandidateSerializer(many=True)


class TracingScope(ScopedMixin):
    required_actions = {"GET": "tracing.view", "POST": "tracing.manage"}
    visible_model = TracingRequest

    def visible(self, actor):
        return selectors.requests_visible_to(actor).order_by("-received_on", "-id")


@extend_schema(parameters=[OpenApiParameter("status", str, enum=TracingStatus.values)])
class TracingRequestList(TracingScope, generics.ListCreateAPIView):
    """The organisation's tracing requests, newest first; POST records one and looks for candidates at once."""

    def get_serializer_class(self):
        return TracingRequestCreateSerializer if self.request.method == "POST" else TracingRequestSerializer

    def visible(self, actor):
        requests = super().visible(actor)
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in TracingStatus.values:
                raise serializers.ValidationError(
                    {"status": f"Use one of {', '.join(TracingStatus.values)}."}
                )
            requests = requests.filter(status=wanted)
        return requests

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tracing = services.tracing_request_create(actor=api_actor(request), **serializer.validated_data)
        tracing = self.get_queryset().get(pk=tracing.pk)
        return Response(
            TracingRequestDetailSerializer(tracing, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class TracingRequestDetail(TracingScope, generics.RetrieveAPIView):
    """One request, with the inquirer's phone; reading it is audited like the page."""

    serializer_class = TracingRequestDetailSerializer

    def get_object(self):
        return get_visible_or_404(
            self.get_queryset(), self.kwargs["uuid"], actor=api_actor(self.request), audit=True
        )


class TracingRequestCandidates(TracingScope, generics.GenericAPIView):
    """The request's candidate children, best first, each with the score's explanation and the team's decision."""

    serializer_class = ChildCandidateSerializer
    required_actions = {"GET": "tracing.view"}

    @extend_schema(responses=ChildCandidateListSerializer)
    def get(self, request, *args, **kwargs):
        tracing = self.get_object()
        candidates = selectors.candidates_for_request(api_actor(request), tracing)
        return Response({"candidates": ChildCandidateSerializer(candidates, many=True).data})


class TracingChildCandidates(ScopedMixin, generics.GenericAPIView):
    """A registered child's candidate requests, best first. A child whose family-tracing consent is not in force
    is not searched: the list is empty and ``traceable`` false."""

    serializer_class = RequestCandidateSerializer
    required_actions = {"GET": "tracing.view"}
    visible_model = Person

    def visible(self, actor):
        return persons_visible_to(actor)

    @extend_schema(responses=RequestCandidateListSerializer)
    def get(self, request, *args, **kwargs):
        actor = api_actor(request)
        person = get_visible_or_404(self.get_queryset(), self.kwargs["uuid"], actor=actor, audit=True)
        traceable = selectors.is_tracing_child(actor, person)
        candidates = selectors.candidates_for_child(actor, person) if traceable else []
        return Response(
            {"traceable": traceable, "candidates": RequestCandidateSerializer(candidates, many=True).data}
        )


class DecisionSerializer(serializers.Serializer):
    person = serializers.UUIDField(help_text="the candidate child")
    decision = serializers.ChoiceField(
        choices=[CandidateStatus.PROPOSED, CandidateStatus.REJECTED, CandidateStatus.OPEN]
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="the request's version you read; a request changed since is refused with 409",
    )


class ConfirmSerializer(serializers.Serializer):
    person = serializers.UUIDField(help_text="the child confirmed as the one sought")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="the request's version you read; a request changed since is refused with 409",
    )


class DecisionResultSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    status = serializers.CharField(help_text="the candidate's status after the decision")
    request_status = serializers.CharField()
    version = serializers.IntegerField()


class TracingCandidateDecide(TracingScope, generics.GenericAPIView):
    """Propose a candidate as the match, reject them (with the reason), or put them back to review."""

    serializer_class = DecisionSerializer
    required_actions = {"POST": "tracing.manage"}

    @extend_schema(responses=DecisionResultSerializer)
    def post(self, request, *args, **kwargs):
        tracing = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actor = api_actor(request)
        person = get_visible_or_404(persons_visible_to(actor), serializer.validated_data["person"])
        row = services.candidate_decide(
            actor=actor,
            request=tracing,
            person=person,
            decision=serializer.validated_data["decision"],
            note=serializer.validated_data.get("note", ""),
            version=serializer.validated_data.get("version"),
        )
        return Response(
            {
                "person": str(person.uuid),
                "status": row.status,
                "request_status": tracing.status,
                "version": tracing.version,
            }
        )


class TracingMatchConfirm(TracingScope, generics.GenericAPIView):
    """Confirm the match: the request is linked to the child and the reunification checklist starts."""

    serializer_class = ConfirmSerializer
    required_actions = {"POST": "tracing.manage"}

    @extend_schema(responses=TracingRequestSerializer)
    def post(self, request, *args, **kwargs):
        tracing = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actor = api_actor(request)
        person = get_visible_or_404(persons_visible_to(actor), serializer.validated_data["person"])
        tracing = services.match_confirm(
            actor=actor,
            request=tracing,
            person=person,
            note=serializer.validated_data.get("note", ""),
            version=serializer.validated_data.get("version"),
        )
        return Response(TracingRequestSerializer(tracing, context=self.get_serializer_context()).data)


class ChecklistEntrySerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=ChecklistItem.choices)
    outcome = serializers.ChoiceField(
        choices=[*ChildView.choices, *BestInterests.choices], required=False, allow_blank=True
    )
    note = serializers.CharField(max_length=2000)


class ChecklistItemStateSerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=ChecklistItem.choices)
    label = serializers.CharField()
    done = serializers.BooleanField()
    outcome = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    recorded_at = serializers.DateTimeField(allow_null=True)
    recorded_by = serializers.UUIDField(allow_null=True)


class ChecklistStateSerializer(serializers.Serializer):
    request = serializers.UUIDField()
    status = serializers.CharField()
    items = ChecklistItemStateSerializer(many=True)
    reunified_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()


class ReunificationSerializer(serializers.Serializer):
    reunified_on = serializers.DateField()
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="the request's version you read; a request changed since is refused with 409",
    )


class TracingChecklist(TracingScope, generics.GenericAPIView):
    """The reunification checklist: each item done or to do. POST records one item (the best-interests decision
    needs a supervisor), or, with ``{"reunified_on": date}`` (and optionally the request's ``version`` read), the
    reunification once all are done."""

    serializer_class = ChecklistEntrySerializer

    def _state(self, tracing) -> dict:
        entries = selectors.checklist_of(tracing)
        return {
            "request": str(tracing.uuid),
            "status": tracing.status,
            "items": [
                {
                    "item": item,
                    "label": str(ChecklistItem(item).label),
                    "done": entry is not None,
                    "outcome": entry.outcome if entry else "",
                    "note": entry.note if entry else "",
                    "recorded_at": entry.recorded_at if entry else None,
                    "recorded_by": str(entry.recorded_by.uuid) if entry else None,
                }
                for item, entry in entries.items()
            ],
            "reunified_on": tracing.reunified_on,
            "version": tracing.version,
        }

    @extend_schema(responses=ChecklistStateSerializer)
    def get(self, request, *args, **kwargs):
        return Response(self._state(self.get_object()))

    @extend_schema(responses={200: ChecklistStateSerializer, 201: ChecklistStateSerializer})
    def post(self, request, *args, **kwargs):
        tracing = self.get_object()
        actor = api_actor(request)
        # A body that is no JSON object (``null``, a list) goes to the entry's serializer, which says so (400).
        if isinstance(request.data, dict) and "reunified_on" in request.data:
            reunification = ReunificationSerializer(data=request.data)
            reunification.is_valid(raise_exception=True)
            tracing = services.reunification_record(
                actor=actor,
                request=tracing,
                reunified_on=reunification.validated_data["reunified_on"],
                version=reunification.validated_data.get("version"),
            )
            return Response(self._state(tracing))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.checklist_record(
            actor=actor,
            request=tracing,
            item=serializer.validated_data["item"],
            note=serializer.validated_data["note"],
            outcome=serializer.validated_data.get("outcome", ""),
        )
        return Response(self._state(tracing), status=status.HTTP_201_CREATED)
