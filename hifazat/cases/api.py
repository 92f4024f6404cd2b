"""API v1 for cases: the list and opening one, a case with its victim context, its sub-records (comments,
historic events, perpetrators, support plans, services, follow-ups), and supervisor approvals.

Scoped as the pages are (``cases_visible_to``): another organisation's case, or a colleague's for a caseworker,
is a 404. HTCDS value names in and out. Reading a case is audited like the page.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hifazat.accounts.models import User
from hifazat.api.permissions import ActionPermission, IsMemberAndVerified, api_actor
from hifazat.api.views import AuditedListMixin, ScopedMixin
from hifazat.cases import htcds, record_services, services
from hifazat.cases.models import (
    OPEN_STATUSES,
    Approval,
    Case,
    CaseComment,
    CaseFollowUp,
    CaseOrigin,
    HistoricEvent,
    Perpetrator,
    ServiceDelivery,
    ServiceKind,
    SupportPlan,
)
from hifazat.cases.selectors import approvals_visible_to, cases_visible_to
from hifazat.core.access import get_visible_or_404
from hifazat.core.audit import audit_read
from hifazat.geography.models import AdminArea
from hifazat.people.selectors import persons_visible_to


def _multi(choices):
    return serializers.ListField(child=serializers.ChoiceField(choices=choices.choices), required=False)


class CaseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    person = serializers.UUIDField(source="person.uuid", read_only=True)
    household = serializers.UUIDField(source="household.uuid", read_only=True, allow_null=True)
    owner = serializers.CharField(source="owner.username", read_only=True)
    caseworker = serializers.CharField(source="caseworker.username", read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "person",
            "household",
            "status",
            "owner",
            "caseworker",
            "origin",
            "origin_uuid",
            "opened_on",
            "closed_on",
            "closure_outcome",
            "trafficking_status",
            "version",
        ]


class CaseDetailSerializer(CaseSerializer):
    """A case with its summary, closure, trafficking status decision and HTCDS victim context."""

    trafficking_status_by = serializers.CharField(
        source="trafficking_status_by.username", read_only=True, allow_null=True
    )
    trafficking_status_organisation = serializers.UUIDField(
        source="trafficking_status_organisation.uuid", read_only=True, allow_null=True
    )
    recruitment_area = serializers.SlugRelatedField(
        slug_field="pcode", queryset=AdminArea.objects.all(), required=False, allow_null=True
    )
    recruitment_methods = _multi(htcds.RecruitmentMethod)
    methods_of_control = _multi(htcds.MethodOfControl)
    exploitation_types = _multi(htcds.ExploitationType)
    sex_exploitation_types = _multi(htcds.SexExploitationType)
    recruitment_websites = _multi(htcds.WebsiteOrApp)
    exploitation_websites = _multi(htcds.WebsiteOrApp)
    # Sent back with a PATCH: the version the change started from; an older one than the case's answers 409.
    version = serializers.IntegerField(required=False, min_value=1)

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "summary",
            "reason_for_closure",
            "trafficking_status_by",
            "trafficking_status_organisation",
            "trafficking_status_decided_by",
            "trafficking_status_at",
            *sorted(record_services.VICTIM_CONTEXT_FIELDS),
        ]
        # PATCH changes the summary and the victim context; the rest changes through its own service.
        read_only_fields = [
            *(f for f in CaseSerializer.Meta.fields if f != "id"),
            "reason_for_closure",
            "trafficking_status_decided_by",
            "trafficking_status_at",
        ]


class CaseOpenSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    origin = serializers.ChoiceField(choices=CaseOrigin.choices)
    origin_uuid = serializers.UUIDField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    caseworker = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), required=False, allow_null=True
    )


class CaseScope(ScopedMixin):
    required_actions = {"GET": "cases.view", "POST": "cases.open", "PATCH": "cases.edit"}
    visible_model = Case

    def visible(self, actor):
        return cases_visible_to(actor).select_related("person", "household", "owner", "caseworker")


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, description="an HTCDS cas_Status value name, or 'open'"),
        OpenApiParameter("mine", bool),
    ]
)
class CaseList(AuditedListMixin, CaseScope, generics.ListCreateAPIView):
    """Cases the caller may see, newest first; POST opens one (``cases.open``). Each list read is audited."""

    filter_names = ("status", "mine")

    def get_serializer_class(self):
        return CaseOpenSerializer if self.request.method == "POST" else CaseSerializer

    def visible(self, actor):
        cases = super().visible(actor).order_by("-opened_on", "-id")
        params = self.request.query_params
        if params.get("status") == "open":
            cases = cases.filter(status__in=OPEN_STATUSES)
        elif params.get("status"):
            cases = cases.filter(status=params["status"])
        if params.get("mine") in {"1", "true", "on"}:
            cases = cases.filter(caseworker=self.request.user)
        return cases

    def create(self, request, *args, **kwargs):
        actor = api_actor(request)
        serializer = CaseOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["person"] = get_visible_or_404(persons_visible_to(actor), data["person"])
        case = services.case_open(actor=actor, **data)
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetail(CaseScope, generics.RetrieveUpdateAPIView):
    """A case; PATCH changes its summary and victim context."""

    serializer_class = CaseDetailSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return get_visible_or_404(
            self.get_queryset(),
            self.kwargs["uuid"],
            actor=api_actor(self.request),
            audit=self.request.method == "GET",
        )

    def update(self, request, *args, **kwargs):
        actor = api_actor(request)
        case = self.get_object()
        serializer = CaseDetailSerializer(case, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if "summary" in data:
            services.case_update(actor=actor, case=case, summary=data.pop("summary"), version=version)
            version = None  # compared once; the second write's compare-and-swap still refuses a race
        context = {k: v for k, v in data.items() if k in record_services.VICTIM_CONTEXT_FIELDS}
        if context:
            record_services.victim_context_update(actor=actor, case=case, version=version, **context)
        return Response(CaseDetailSerializer(self.get_queryset().get(pk=case.pk)).data)


# --- Sub-records ------------------------------------------------------------------------------------------------


class CaseRecords(ScopedMixin, generics.ListCreateAPIView):
    """The records of one case: list (``cases.view``) and add (``cases.edit``, through the part's service)."""

    required_actions = {"GET": "cases.view", "POST": "cases.edit"}
    lookup_field = "uuid"
    related_name = ""
    audited = False  # True: reading the list is audited on the case, as the case page is

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if self.audited:
            rows = response.data["results"] if isinstance(response.data, dict) else response.data
            audit_read(api_actor(request), self.case(), records=self.related_name, count=len(rows))
        return response

    def case(self) -> Case:
        if not hasattr(self, "_case"):
            self._case = get_visible_or_404(cases_visible_to(api_actor(self.request)), self.kwargs["uuid"])
        return self._case

    def visible(self, actor):
        return getattr(self.case(), self.related_name).all()

    def write(self, actor, case, data):
        """Each endpoint below names the service that adds its kind of record; this base has none of its own."""
        raise NotImplementedError(f"{type(self).__name__} must say which service adds its records")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)  # a new record has none yet
        record = self.write(api_actor(request), self.case(), data)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)


class RecordRemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(required=False, min_value=1)


class CaseRecordDetail(ScopedMixin, generics.RetrieveUpdateDestroyAPIView):
    """One record of a case the caller may see (404 otherwise): GET (``cases.view``); PATCH corrects it and
    DELETE removes it (``cases.edit``, open cases only), through the part's services. Both take the ``version``
    the caller read: an older one than the record's answers 409. DELETE needs a ``reason``; the record leaves
    the lists but the case's history keeps its removal."""

    required_actions = {"GET": "cases.view", "PATCH": "cases.edit", "DELETE": "cases.edit"}
    http_method_names = ["get", "patch", "delete", "head", "options"]
    audited = False  # True: reading it is audited (decrypted numbers)

    def visible(self, actor):
        return self.visible_model.objects.filter(case__in=cases_visible_to(actor)).select_related("case")

    def get_object(self):
        actor = api_actor(self.request)
        audit = self.audited and self.request.method == "GET"
        return get_visible_or_404(self.get_queryset(), self.kwargs["uuid"], actor=actor, audit=audit)

    # Each endpoint below names the records service that corrects its kind of record, and the keyword that
    # service takes the record by.
    correction: tuple[Any, str]

    def edit(self, actor, record, data):
        service, keyword = self.correction
        return service(actor=actor, **{keyword: record}, **data)

    def update(self, request, *args, **kwargs):
        record = self.get_object()
        serializer = self.get_serializer(record, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        record = self.edit(api_actor(request), record, dict(serializer.validated_data))
        return Response(self.get_serializer(record).data)

    @extend_schema(request=RecordRemoveSerializer, responses={204: None})
    def delete(self, request, *args, **kwargs):
        record = self.get_object()
        serializer = RecordRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record_services.case_record_remove(
            actor=api_actor(request), record=record, **serializer.validated_data
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _record_fields(*names: str) -> list[str]:
    return ["id", *names, "version", "created_at", "created_by"]


class RecordSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)
    # Out: the record's version. In (PATCH): the version the correction started from.
    version = serializers.IntegerField(required=False, min_value=1)


class CommentSerializer(RecordSerializer):
    class Meta:
        model = CaseComment
        fields = _record_fields("body")


class CaseComments(CaseRecords):
    """HTCDS case comments (``cco_CaseComment``), newest first."""

    serializer_class = CommentSerializer
    visible_model = CaseComment
    related_name = "comments"
    audited = True

    def write(self, actor, case, data):
        return record_services.case_comment_add(actor=actor, case=case, **data)


class HistoricEventSerializer(RecordSerializer):
    area = serializers.SlugRelatedField(
        slug_field="pcode", queryset=AdminArea.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = HistoricEvent
        fields = _record_fields(
            "event_type", "occurred_on", "date_is_approximate", "area", "place", "country", "description"
        )


class CaseEvents(CaseRecords):
    """Historic trafficking events (HTCDS ``hte_``): recruitment, transit, exploitation."""

    serializer_class = HistoricEventSerializer
    visible_model = HistoricEvent
    related_name = "historic_events"

    def write(self, actor, case, data):
        return record_services.historic_event_add(actor=actor, case=case, **data)


class CaseEventDetail(CaseRecordDetail):
    """A historic trafficking event: read, correct, remove."""

    serializer_class = HistoricEventSerializer
    visible_model = HistoricEvent

    correction = (record_services.historic_event_update, "event")


class PerpetratorSerializer(RecordSerializer):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=htcds.PerpetratorRole.choices))
    phone = serializers.CharField(required=False, allow_blank=True)
    identity_number = serializers.CharField(required=False, allow_blank=True)
    identifying_details = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Perpetrator
        fields = _record_fields(
            "first_name",
            "second_name",
            "alias",
            "gender",
            "estimated_age",
            "nationality",
            "roles",
            "role_details",
            "phone",
            "identity_number",
            "identifying_details",
        )


class CasePerpetrators(CaseRecords):
    """Perpetrators with their roles in the process (HTCDS ``per_``); numbers are decrypted for the reader."""

    serializer_class = PerpetratorSerializer
    visible_model = Perpetrator
    related_name = "perpetrators"
    audited = True  # decrypted phone and identity numbers

    def write(self, actor, case, data):
        return record_services.perpetrator_add(actor=actor, case=case, **data)


class CasePerpetratorDetail(CaseRecordDetail):
    """A perpetrator: read (audited: numbers are decrypted for the reader), correct, remove."""

    serializer_class = PerpetratorSerializer
    visible_model = Perpetrator
    audited = True

    correction = (record_services.perpetrator_update, "perpetrator")


class SupportPlanSerializer(RecordSerializer):
    class Meta:
        model = SupportPlan
        fields = _record_fields(
            "plan_type", "objectives", "action_plan", "planned_end_date", "actual_end_date"
        )
        read_only_fields = ["actual_end_date"]


class CasePlans(CaseRecords):
    """Support plans (HTCDS ``spl_``). The actual end date is set on the page when a plan ends."""

    serializer_class = SupportPlanSerializer
    visible_model = SupportPlan
    related_name = "support_plans"

    def write(self, actor, case, data):
        return record_services.support_plan_add(actor=actor, case=case, **data)


class SupportPlanEditSerializer(SupportPlanSerializer):
    class Meta(SupportPlanSerializer.Meta):
        read_only_fields = []


class CasePlanDetail(CaseRecordDetail):
    """A support plan: read, correct (its actual end date too), remove (refused while services or referrals
    point at it)."""

    serializer_class = SupportPlanEditSerializer
    visible_model = SupportPlan

    correction = (record_services.support_plan_update, "plan")


class ServiceSerializer(RecordSerializer):
    service = serializers.ChoiceField(choices=ServiceKind.choices)
    support_plan = serializers.SlugRelatedField(
        slug_field="uuid", queryset=SupportPlan.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = ServiceDelivery
        fields = _record_fields("service", "delivered_on", "provided_by", "support_plan", "note")


class CaseServices(CaseRecords):
    """Services delivered (added)."""

    serializer_class = ServiceSerializer
    visible_model = ServiceDelivery
    related_name = "services"

    def write(self, actor, case, data):
        return record_services.service_record(actor=actor, case=case, **data)


class CaseServiceDetail(CaseRecordDetail):
    """A service delivered: read, correct, remove."""

    serializer_class = ServiceSerializer
    visible_model = ServiceDelivery

    correction = (record_services.service_update, "delivery")


class CaseFollowUpSerializer(RecordSerializer):
    assigned_to = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = CaseFollowUp
        fields = _record_fields("due_on", "purpose", "assigned_to", "status", "outcome")
        read_only_fields = ["status", "outcome"]


class CaseFollowUps(CaseRecords):
    """Follow-ups with due dates (added)."""

    serializer_class = CaseFollowUpSerializer
    visible_model = CaseFollowUp
    related_name = "followups"

    def write(self, actor, case, data):
        return record_services.case_followup_add(actor=actor, case=case, **data)


class CaseFollowUpDetail(CaseRecordDetail):
    """A follow-up: read, correct (while open), remove."""

    serializer_class = CaseFollowUpSerializer
    visible_model = CaseFollowUp

    correction = (record_services.case_followup_update, "followup")


# --- Approvals ----------------------------------------------------------------------------------------------------


class ApprovalSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    case = serializers.UUIDField(source="case.uuid", read_only=True, allow_null=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Approval
        fields = [
            "id",
            "kind",
            "target_uuid",
            "case",
            "requested_by",
            "requested_at",
            "reason",
            "detail",
            "decision",
            "decided_by",
            "decided_at",
            "decision_note",
        ]


@extend_schema(parameters=[OpenApiParameter("decision", str, description="pending, approved, refused")])
class ApprovalList(ScopedMixin, generics.ListAPIView):
    """Supervisors: the organisation's requests (pending first by default); caseworkers: their own."""

    serializer_class = ApprovalSerializer
    required_actions = {"GET": "cases.view"}
    visible_model = Approval

    def visible(self, actor):
        approvals = approvals_visible_to(actor).order_by("requested_at", "id")
        decision = self.request.query_params.get("decision")
        return approvals.filter(decision=decision) if decision else approvals


class ApprovalDecisionSerializer(serializers.Serializer):
    approved = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ApprovalDecide(APIView):
    """A supervisor's decision (``cases.approve``); a refusal needs a note."""

    permission_classes = [IsMemberAndVerified, ActionPermission]
    required_actions = {"POST": "cases.approve"}
    http_method_names = ["post", "options"]

    @extend_schema(request=ApprovalDecisionSerializer, responses=ApprovalSerializer)
    def post(self, request, uuid):
        actor = api_actor(request)
        approval = get_visible_or_404(approvals_visible_to(actor), uuid)
        serializer = ApprovalDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        approval = services.approval_decide(actor=actor, approval=approval, **serializer.validated_data)
        return Response(ApprovalSerializer(approval).data)
