"""API v1 for the monitoring network: reports (a reporter's own, or the network's for focal points), submitting
one, the network around a report, and alerts. Reads start from the part's selectors; the write is the service
the report form calls."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hifazat.api.permissions import ActionPermission, IsMemberAndVerified, api_actor
from hifazat.api.views import ScopedMixin
from hifazat.core.access import get_visible_or_404
from hifazat.geography.models import Site
from hifazat.monitoring import services
from hifazat.monitoring.graph import network_graph
from hifazat.monitoring.models import Alert, InvolvedRole, Report
from hifazat.monitoring.selectors import alerts_visible_to, reports_visible_to


class ReportSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    site = serializers.UUIDField(source="site.uuid", read_only=True, allow_null=True, default=None)
    is_anonymous = serializers.BooleanField(read_only=True)

    class Meta:
        model = Report
        fields = [
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
            "credibility",
            "status",
            "priority",
            "outcome",
        ]
        read_only_fields = fields


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
        return ReportCreateSerializer if self.request.method == "POST" else ReportSerializer

    def create(self, request, *args, **kwargs):
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_submit(actor=api_actor(request), **serializer.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportDetail(ScopedMixin, generics.RetrieveAPIView):
    serializer_class = ReportSerializer
    required_actions = {"GET": "monitoring.report"}
    visible_model = Report

    def visible(self, actor):
        return reports_visible_to(actor)


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
