"""API v1 for campaigns: campaigns, their figures (for funders too), the gap list, key messages and their review,
sessions and their register, and audience exports. The same services and selectors as the pages.

Exports are started and followed here; the file itself is handed over on the page only (once, to its maker).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hifazat.accounts.models import Organisation
from hifazat.api.permissions import ActionPermission, IsMemberAndVerified, api_actor
from hifazat.api.views import ScopedMixin
from hifazat.core import disclosure
from hifazat.core.access import get_visible_or_404
from hifazat.geography.models import AdminArea, Site
from hifazat.people.models import Person, VulnerabilityGroup
from hifazat.people.selectors import persons_visible_to

from . import coverage, exports, selectors, services
from .models import Attendance, Campaign, KeyMessage, MessageExport, MessageVersion, Session, Topic
from .sms import sms_length


def _uuids(queryset) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="uuid", queryset=queryset, many=True, required=False)


class CampaignSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True)
    funder = serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    partners = _uuids(Organisation.objects.filter(is_active=True))
    areas = serializers.SlugRelatedField(
        slug_field="pcode", queryset=AdminArea.objects.all(), many=True, required=False
    )
    sites = _uuids(Site.objects.all())
    target_groups = serializers.ListField(child=serializers.ChoiceField(choices=VulnerabilityGroup.choices))
    launch_site = serializers.UUIDField(source="launch_site.uuid", read_only=True, default=None)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "objective",
            "organisation",
            "funder",
            "partners",
            "starts_on",
            "ends_on",
            "areas",
            "sites",
            "target_groups",
            "status",
            "launched_on",
            "launch_site",
            "launch_note",
        ]
        read_only_fields = ["status", "launched_on", "launch_note"]


class CampaignList(ScopedMixin, generics.ListCreateAPIView):
    """Campaigns the caller works in or (a funder) funds; POST creates one run by the caller's organisation."""

    serializer_class = CampaignSerializer
    required_actions = {"GET": "campaigns.aggregates", "POST": "campaigns.manage"}
    visible_model = Campaign

    def visible(self, actor):
        return selectors.campaigns_with_figures_visible_to(actor).prefetch_related(
            "partners", "areas", "sites"
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = services.campaign_create(actor=api_actor(request), **serializer.validated_data)
        return Response(self.get_serializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetail(ScopedMixin, generics.RetrieveAPIView):
    serializer_class = CampaignSerializer
    required_actions = {"GET": "campaigns.view"}
    visible_model = Campaign

    def visible(self, actor):
        return selectors.campaigns_visible_to(actor).prefetch_related("partners", "areas", "sites")


def _cell(cell: coverage.ShownCell) -> dict:
    return {
        "registered": cell.registered_value,
        "reached": cell.reached_value,
        "share_percent": cell.share_value,
    }


def _knowledge(knowledge: coverage.ShownKnowledge) -> dict:
    return {"before_percent": knowledge.before_value, "after_percent": knowledge.after_value}


class CampaignFigures(APIView):
    """Registered, reached and share per campaign, target group and site, and knowledge scores. For a caller
    outside the campaign (its funder) or an analyst, through disclosure control (``core.disclosure``): counts
    rounded, hidden ones null, districts instead of sites."""

    permission_classes = [IsMemberAndVerified, ActionPermission]
    required_actions = {"GET": "campaigns.aggregates"}

    @extend_schema(
        responses=inline_serializer(
            "CampaignFigures",
            {
                "suppressed_below": serializers.IntegerField(allow_null=True),
                "rounded_to": serializers.IntegerField(allow_null=True),
                "districts": serializers.ListField(child=serializers.DictField()),
                "total": serializers.DictField(),
                "groups": serializers.ListField(child=serializers.DictField()),
                "sites": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request, uuid):
        actor = api_actor(request)
        campaign = get_visible_or_404(selectors.campaigns_with_figures_visible_to(actor), uuid)
        inside = actor.can("campaigns.view") and selectors.works_in(actor, campaign)
        policy = disclosure.policy_for(actor, inside=inside)
        shown = coverage.shown(coverage.campaign_figures(campaign), policy=policy)
        places = [{"code": row["code"], **_cell(row["cell"])} for row in shown["sites"]]
        return Response(
            {
                "suppressed_below": policy.threshold if policy.controlled else None,
                "rounded_to": policy.threshold if policy.controlled else None,
                "total": _cell(shown["total"]),
                "knowledge": _knowledge(shown["knowledge"]),
                "groups": [
                    {"group": row["group"], **_cell(row["cell"]), **_knowledge(row["knowledge"])}
                    for row in shown["groups"]
                ],
                # Outside the team, places are districts (admin level 2, by P-code), never sites.
                "sites": []
                if policy.controlled
                else [
                    {"site": str(row["site"].uuid), **place}
                    for row, place in zip(shown["sites"], places, strict=True)
                ],
                "districts": places if policy.controlled else [],
            }
        )


class GapSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    site = serializers.CharField(source="household.site.code", read_only=True, default=None)
    groups = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "first_name", "second_name", "site", "groups"]

    def get_groups(self, person) -> list[str]:
        return sorted({v.group for v in person.vulnerabilities.all()})


class CampaignGaps(ScopedMixin, generics.ListAPIView):
    """Registered people in the campaign's target groups not yet reached, among those the caller may see."""

    serializer_class = GapSerializer
    required_actions = {"GET": "campaigns.gaps"}
    visible_model = Person

    def visible(self, actor):
        campaign = get_visible_or_404(selectors.campaigns_visible_to(actor), self.kwargs["uuid"])
        return selectors.gap_list(actor, campaign, group=self.request.query_params.get("group", ""))


class VersionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    author = serializers.CharField(source="created_by.username", read_only=True, default=None)
    reviewer = serializers.CharField(source="reviewed_by.username", read_only=True, default=None)
    submit = serializers.BooleanField(write_only=True, default=False)

    class Meta:
        model = MessageVersion
        fields = [
            "id",
            "language",
            "channel",
            "number",
            "text",
            "status",
            "author",
            "reviewer",
            "review_note",
            "sms_encoding",
            "sms_parts",
            "submit",
        ]
        read_only_fields = ["number", "status", "review_note", "sms_encoding", "sms_parts"]


class KeyMessageSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    topic = serializers.ChoiceField(choices=Topic.choices)
    versions = VersionSerializer(many=True, read_only=True)

    class Meta:
        model = KeyMessage
        fields = ["id", "title", "topic", "target_group", "versions"]


class CampaignMessages(ScopedMixin, generics.ListCreateAPIView):
    """The campaign's key messages with every version; POST adds a key message."""

    serializer_class = KeyMessageSerializer
    required_actions = {"GET": "campaigns.view", "POST": "campaigns.manage"}
    visible_model = KeyMessage

    def campaign(self):
        return get_visible_or_404(
            selectors.campaigns_visible_to(api_actor(self.request)), self.kwargs["uuid"]
        )

    def visible(self, actor):
        return self.campaign().messages.prefetch_related("versions__created_by", "versions__reviewed_by")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.key_message_create(
            actor=api_actor(request), campaign=self.campaign(), **serializer.validated_data
        )
        return Response(self.get_serializer(message).data, status=status.HTTP_201_CREATED)


class MessageVersions(ScopedMixin, generics.ListCreateAPIView):
    """A key message's versions, newest first; POST writes a new one (``submit``: send it for review)."""

    serializer_class = VersionSerializer
    required_actions = {"GET": "campaigns.view", "POST": "campaigns.manage"}
    visible_model = MessageVersion

    def message(self):
        return get_visible_or_404(selectors.messages_visible_to(api_actor(self.request)), self.kwargs["uuid"])

    def visible(self, actor):
        return self.message().versions.select_related("created_by", "reviewed_by").order_by("-created_at")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = services.version_write(
            actor=api_actor(request),
            message=self.message(),
            language=data["language"],
            channel=data["channel"],
            text=data["text"],
            submit=data["submit"],
        )
        return Response(self.get_serializer(version).data, status=status.HTTP_201_CREATED)


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class VersionReview(ScopedMixin, generics.GenericAPIView):
    """Approve a version waiting for review, or return it with a note. Its author may not (four eyes)."""

    serializer_class = ReviewSerializer
    required_actions = {"POST": "campaigns.approve"}
    visible_model = MessageVersion

    def visible(self, actor):
        return selectors.versions_visible_to(actor)

    def post(self, request, uuid):
        version = self.get_object()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.version_review(
            actor=api_actor(request), version=version, **serializer.validated_data
        )
        return Response(VersionSerializer(version).data)


class SessionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    site = serializers.SlugRelatedField(slug_field="uuid", queryset=Site.objects.all())
    facilitator = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Organisation.objects.filter(is_active=True)
    )
    message = serializers.SlugRelatedField(
        slug_field="uuid", queryset=KeyMessage.objects.all(), required=False, allow_null=True
    )
    attendance_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "site",
            "held_on",
            "facilitator",
            "target_group",
            "title",
            "message",
            *Session.COUNT_FIELDS,
            "attendance_total",
            "check_max_score",
            "note",
        ]


class CampaignSessions(ScopedMixin, generics.ListCreateAPIView):
    serializer_class = SessionSerializer
    required_actions = {"GET": "campaigns.view", "POST": "campaigns.record_activity"}
    visible_model = Session

    def campaign(self):
        return get_visible_or_404(
            selectors.campaigns_visible_to(api_actor(self.request)), self.kwargs["uuid"]
        )

    def visible(self, actor):
        return selectors.sessions_visible_to(actor).filter(campaign=self.campaign())

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.session_record(
            actor=api_actor(request), campaign=self.campaign(), **serializer.validated_data
        )
        return Response(self.get_serializer(session).data, status=status.HTTP_201_CREATED)


class AttendeeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    person = serializers.UUIDField(source="person.uuid")

    class Meta:
        model = Attendance
        fields = ["id", "person", "pre_score", "post_score"]


class SessionAttendees(ScopedMixin, generics.ListCreateAPIView):
    """The session's registered attendees whom the caller may see; POST links one, with scores if taken."""

    serializer_class = AttendeeSerializer
    required_actions = {"GET": "campaigns.view", "POST": "campaigns.record_activity"}
    visible_model = Attendance

    def session(self):
        return get_visible_or_404(selectors.sessions_visible_to(api_actor(self.request)), self.kwargs["uuid"])

    def visible(self, actor):
        return (
            self.session().attendances.filter(person__in=persons_visible_to(actor)).select_related("person")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actor = api_actor(request)
        data = serializer.validated_data
        person = get_visible_or_404(persons_visible_to(actor), data["person"]["uuid"])
        attendance = services.attendee_add(
            actor=actor,
            session=self.session(),
            person=person,
            pre_score=data.get("pre_score"),
            post_score=data.get("post_score"),
        )
        return Response(self.get_serializer(attendance).data, status=status.HTTP_201_CREATED)


class ExportSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    message = serializers.SlugRelatedField(slug_field="uuid", queryset=KeyMessage.objects.all())
    sites = _uuids(Site.objects.all())
    status = serializers.CharField(source="job.status", read_only=True)
    downloaded = serializers.SerializerMethodField()

    class Meta:
        model = MessageExport
        fields = [
            "id",
            "message",
            "target_group",
            "sites",
            "fallback_language",
            "status",
            "recipients",
            "skipped_without_consent",
            "downloaded",
        ]
        read_only_fields = ["recipients", "skipped_without_consent"]

    def get_downloaded(self, export) -> bool:
        return export.downloaded_at is not None


class CampaignExports(ScopedMixin, generics.ListCreateAPIView):
    """Audience exports of the caller's organisation for the campaign; POST starts one (a background job)."""

    serializer_class = ExportSerializer
    required_actions = {"GET": "campaigns.export_audience", "POST": "campaigns.export_audience"}
    visible_model = MessageExport

    def campaign(self):
        return get_visible_or_404(
            selectors.campaigns_visible_to(api_actor(self.request)), self.kwargs["uuid"]
        )

    def visible(self, actor):
        return selectors.exports_visible_to(actor).filter(campaign=self.campaign()).prefetch_related("sites")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        campaign = self.campaign()
        message = get_visible_or_404(campaign.messages.all(), data.pop("message").uuid)
        export = exports.export_start(actor=api_actor(request), message=message, **data)
        return Response(self.get_serializer(export).data, status=status.HTTP_201_CREATED)


class ExportDetail(ScopedMixin, generics.RetrieveAPIView):
    serializer_class = ExportSerializer
    required_actions = {"GET": "campaigns.export_audience"}
    visible_model = MessageExport

    def visible(self, actor):
        return selectors.exports_visible_to(actor).prefetch_related("sites")


class SmsLengthSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)


class SmsLength(APIView):
    """How a phone sends a text: encoding (GSM-7 or UCS-2), units, parts and what is left in the last part."""

    permission_classes = [IsMemberAndVerified, ActionPermission]
    required_actions = {"POST": "campaigns.view"}

    @extend_schema(
        request=SmsLengthSerializer,
        responses=inline_serializer(
            "SmsLength",
            {
                "encoding": serializers.CharField(),
                "characters": serializers.IntegerField(),
                "units": serializers.IntegerField(),
                "parts": serializers.IntegerField(),
                "per_part": serializers.IntegerField(),
                "remaining": serializers.IntegerField(),
            },
        ),
    )
    def post(self, request):
        serializer = SmsLengthSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        length = sms_length(serializer.validated_data["text"])
        return Response(
            {
                "encoding": length.encoding,
                "characters": length.characters,
                "units": length.units,
                "parts": length.parts,
                "per_part": length.per_part,
                "remaining": length.remaining,
            }
        )
