"""API v1 for the monitoring network: reports (a reporter's own, or the network's for focal points), submitting
one, the network around a report, and alerts. Reads start from the part's selectors; the write is the service
the report form calls."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hifazat.accounts.models import User
from hifazat.api.permissions import ActionPermission, IsMemberAndVerified, api_actor
from hifazat.api.views import ScopedMixin
from hifazat.core.access import get_visible_or_404
from hifazat.geography.models import Site
from hifazat.monitoring import services
from hifazat.monitoring.graph import network_graph
from hifazat.monitoring.models import Alert, Credibility, InvolvedRole, Priority, Report
from hifazat.monitoring.selectors import alerts_visible_to, reports_visible_to

# What a reporter sees of their own report; the network's focal points see the grading besides.
OWN_REPORT_FIELDS = [
    "id",
    "number",
    "source",
    "is_anonymous",
    "kind",
    "occurred_on",
    "site",
    "place",
    "latitude",
    "longitude",
    "description",
    "traces",
    "status",
]


class ReportSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    site = serializers.UUIDField(source="site.uuid", read_only=True, allow_null=True, default=None)
    is_anonymous = serializers.BooleanField(read_only=True)

    class Meta:
        model = Report
        fields = [*OWN_REPORT_FIELDS, "credibility", "priority", "outcome", "version"]
        read_only_fields = fields


class OwnReportSerializer(ReportSerializer):
    """A report as its reporter sees it: what they submitted and where it stands, nothing that the network's
    focal points added (grading, outcome), which could tell of other reports (a duplicate of another)."""

    class Meta(ReportSerializer.Meta):
        fields = OWN_REPORT_FIELDS
        read_only_fields = fields


def report_serializer_for(actor) -> type[ReportSerializer]:
    """The whole report for those who triage the network's reports; the reporter's own view for anyone else."""
    return ReportSerializer if actor is not None and actor.can("monitoring.triage") else OwnReportSerializer


class InvolvedSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=InvolvedRole.choices, default=InvolvedRole.AT_RISK)
    name = serializers.CharField(required=False, allow_blank=True, max_length=160)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReportCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Report._meta.get_field("kind").choices)
    occurred_on = serializers.DateField()
    description = serializers.CharField(max_length=5000)
    site = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Site.objects.filter(is_open=True), required=False, allow_null=True
    )
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    traces = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=200)),
        required=False,
        help_text="Entity kind (phone, plate, name, employer, destination) → the values as written.",
    )
    people = InvolvedSerializer(many=True, required=False)


class ReportList(ScopedMixin, generics.ListCreateAPIView):
    """Reports the caller may see, newest first; POST submits a report as the caller (a reporter)."""

    serializer_class = ReportSerializer
    required_actions = {"GET": "monitoring.report", "POST": "monitoring.report"}
    visible_model = Report

    def visible(self, actor):
        return reports_visible_to(actor).order_by("-occurred_on", "-id")

    def get_serializer_class(self):
        if self.request.method == "POST":
            return ReportCreateSerializer
        if getattr(self, "swagger_fake_view", False):
            # The schema promises the fields every caller gets; triagers get the grading fields besides.
            return OwnReportSerializer
        return report_serializer_for(api_actor(self.request))

    def create(self, request, *args, **kwargs):
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actor = api_actor(request)
        report = services.report_submit(actor=actor, **serializer.validated_data)
        return Response(report_serializer_for(actor)(report).data, status=status.HTTP_201_CREATED)


class ReportDetail(ScopedMixin, generics.RetrieveAPIView):
    serializer_class = ReportSerializer
    required_actions = {"GET": "monitoring.report"}
    visible_model = Report

    def visible(self, actor):
        return reports_visible_to(actor)

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):
            # The schema promises the fields every caller gets; triagers get the grading fields besides.
            return OwnReportSerializer
        return report_serializer_for(api_actor(self.request))


class ReportTriageSerializer(serializers.Serializer):
    priority = serializers.ChoiceField(choices=Priority.choices)
    credibility = serializers.ChoiceField(choices=Credibility.choices)
    assignee = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="a focal point or supervisor of the network, to follow it up",
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="the report's version you read; a report changed since is refused with 409",
    )


class ReportTriage(ScopedMixin, generics.GenericAPIView):
    """POST: grade the report's credibility, set its priority and who follows it up (as the triage form)."""

    serializer_class = ReportTriageSerializer
    required_actions = {"POST": "monitoring.triage"}
    visible_model = Report

    def visible(self, actor):
        return reports_visible_to(actor)

    @extend_schema(responses=ReportSerializer)
    def post(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = api_actor(request)
        assignee = None
        if data.get("assignee"):
            assignee = User.objects.filter(
                uuid=data["assignee"],
                memberships__organisation=actor.organisation,
                memberships__is_active=True,
            ).first()
            if assignee is None:
                raise serializers.ValidationError(
                    {"assignee": "Choose a focal point or supervisor of your organisation."}
                )
        report = services.report_triage(
            actor=actor,
            report=report,
            priority=data["priority"],
            credibility=int(data["credibility"]),
            assignee=assignee,
            version=data.get("version"),
        )
        return Response(ReportSerializer(report).data)


class ReportNetwork(APIView):
    """The graph around a report: nodes (reports, traces, registered people) and edges, as the network page
    draws it, within what the caller may see."""

    permission_classes = [IsMemberAndVerified, ActionPermission]
    required_actions = {"GET": "monitoring.view"}

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, uuid):
        actor = api_actor(request)
        report = get_visible_or_404(reports_visible_to(actor), uuid)
        graph = network_graph(actor, report)
        return Response(
            {
                "report": str(report.uuid),
                "total_reports": graph.total_reports,
                "nodes": [
                    {"id": n.key, "kind": n.kind, "label": n.label, "detail": n.detail, "x": n.x, "y": n.y}
                    for n in graph.nodes
                ],
                "edges": [[a.key, b.key] for a, b in graph.edges],
            }
        )


class AlertSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    owner = serializers.CharField(source="owner.username", read_only=True, default=None)
    reports = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "number",
            "rule",
            "severity",
            "status",
            "evidence",
            "first_seen_on",
            "last_seen_on",
            "owner",
            "reports",
            "resolution",
        ]
        read_only_fields = fields


class AlertScope(ScopedMixin):
    serializer_class = AlertSerializer
    required_actions = {"GET": "alerts.view"}
    visible_model = Alert

    def visible(self, actor):
        return alerts_visible_to(actor).prefetch_related("reports").order_by("-last_seen_on", "-id")


class AlertList(AlertScope, generics.ListAPIView):
    pass


class AlertDetail(AlertScope, generics.RetrieveAPIView):
    pass
