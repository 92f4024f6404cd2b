"""API v1 for the services directory and referrals, through this part's selectors and services.

A referral reads differently for its two organisations: the sender gets its case's identifier; the receiver gets
the shared parts and nothing that points back into the sender's records.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hifazat.api.permissions import ActionPermission, IsMemberAndVerified, api_actor
from hifazat.api.views import ScopedMixin
from hifazat.cases.selectors import cases_visible_to
from hifazat.core.access import get_visible_or_404
from hifazat.geography.models import AdminArea
from hifazat.referrals import services
from hifazat.referrals.models import (
    Pathway,
    PathwayStep,
    Referral,
    ReferralEvent,
    ReferralReason,
    ReferralStatus,
    ServiceProvider,
    ServiceType,
    SharedPart,
    Urgency,
)
from hifazat.referrals.selectors import (
    SENDER,
    for_lists,
    incoming_referrals,
    outgoing_referrals,
    pathways_for_area,
    pathways_visible_to,
    providers_covering,
    providers_offering,
    providers_visible_to,
    referral_events,
    referral_side,
    referrals_visible_to,
)


def _area(params) -> AdminArea | None:
    pcode = params.get("area")
    if not pcode:
        return None
    area = AdminArea.objects.filter(pcode=pcode).first()
    if area is None:
        raise serializers.ValidationError({"area": f"{pcode} is not a registered P-code."})
    return area


# --- Directory --------------------------------------------------------------------------------------------------


class ProviderSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    services = serializers.ListField(source="service_values", child=serializers.CharField(), read_only=True)
    areas = serializers.SerializerMethodField()

    class Meta:
        model = ServiceProvider
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "name",
            "name_ur",
            "description",
            "services",
            "areas",
            "contact_person",
            "phone",
            "email",
            "address",
            "hours",
            "accepting_referrals",
            "availability_note",
            "version",
        ]
        read_only_fields = ["version"]

    def get_areas(self, provider) -> list[str]:
        return [a.pcode for a in provider.areas.all()]


class ProviderScope(ScopedMixin):
    serializer_class = ProviderSerializer
    required_actions = {"GET": "services.view"}
    visible_model = ServiceProvider

    def visible(self, actor):
        return providers_visible_to(actor).order_by("name")


@extend_schema(
    parameters=[
        OpenApiParameter("area", str, description="P-code: providers covering this area or one above it"),
        OpenApiParameter("service", str, enum=ServiceType.values),
        OpenApiParameter("accepting", bool),
    ]
)
class ProviderList(ProviderScope, generics.ListAPIView):
    def visible(self, actor):
        providers = super().visible(actor)
        params = self.request.query_params
        area = _area(params)
        if area is not None:
            providers = providers_covering(providers, area)
        if params.get("service"):
            if params["service"] not in ServiceType.values:
                raise serializers.ValidationError({"service": f"Use one of {ServiceType.values}."})
            providers = providers_offering(providers, params["service"])
        if params.get("accepting") in {"true", "1"}:
            providers = providers.filter(accepting_referrals=True)
        return providers


class ProviderDetail(ProviderScope, generics.RetrieveAPIView):
    pass


class PathwayStepSerializer(serializers.ModelSerializer):
    provider = serializers.UUIDField(source="provider.uuid", read_only=True, default=None)

    class Meta:
        model = PathwayStep
        fields = ["order", "service", "provider", "notes"]


class PathwaySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    area = serializers.CharField(source="area.pcode", read_only=True)
    steps = PathwayStepSerializer(many=True, read_only=True)

    class Meta:
        model = Pathway
        fields = ["id", "area", "title", "title_ur", "description", "steps"]


class PathwayScope(ScopedMixin):
    serializer_class = PathwaySerializer
    required_actions = {"GET": "services.view"}
    visible_model = Pathway

    def visible(self, actor):
        return pathways_visible_to(actor).order_by("area__pcode", "title")


@extend_schema(
    parameters=[OpenApiParameter("area", str, description="P-code: the pathways that apply there")]
)
class PathwayList(PathwayScope, generics.ListAPIView):
    def visible(self, actor):
        area = _area(self.request.query_params)
        return super().visible(actor) if area is None else pathways_for_area(actor, area)


class PathwayDetail(PathwayScope, generics.RetrieveAPIView):
    pass


# --- Referrals --------------------------------------------------------------------------------------------------


class ReferralEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, default="")
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True, default=None)

    class Meta:
        model = ReferralEvent
        fields = ["kind", "at", "by", "organisation", "note"]


class ReferralSerializer(serializers.ModelSerializer):
    """A referral as the caller's side reads it. ``case`` is given to the sender only; ``shared`` is the
    snapshot of the parts shared, with value names as stored (empty once the sender withdrew the referral).
    ``version`` is what an answer or a withdrawal sends back to be refused (409) if the referral changed."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    side = serializers.SerializerMethodField()
    sender_organisation = serializers.UUIDField(source="sender_organisation.uuid", read_only=True)
    receiver_organisation = serializers.UUIDField(source="receiver_organisation.uuid", read_only=True)
    provider = serializers.UUIDField(source="provider.uuid", read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    shared = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "number",
            "side",
            "status",
            "service",
            "reason",
            "urgency",
            "is_transfer",
            "sender_organisation",
            "receiver_organisation",
            "provider",
            "sent_at",
            "due_at",
            "overdue",
            "responded_at",
            "completed_at",
            "decline_reason",
            "withdrawn_at",
            "withdraw_reason",
            "receiver_reference",
            "outcome",
            "consent_override",
            "shared_parts",
            "shared",
            "events",
            "version",
        ]
        read_only_fields = ["version"]

    def _side(self, referral) -> str:
        return referral_side(self.context["actor"], referral)

    def get_side(self, referral) -> str:
        return self._side(referral)

    def get_shared(self, referral) -> dict:
        if referral.status == ReferralStatus.WITHDRAWN:
            return {}  # erased when withdrawn; never shown again, whoever asks
        return {k: v for k, v in referral.snapshot.items() if k in SharedPart.values or k == "consent"}

    def get_events(self, referral) -> list[dict]:
        return ReferralEventSerializer(referral_events(referral, self._side(referral)), many=True).data

    def to_representation(self, referral):
        data = super().to_representation(referral)
        if self._side(referral) == SENDER:
            data["case"] = str(referral.case.uuid)
        return data


class ReferralListSerializer(ReferralSerializer):
    """Lists carry the status: not the shared parts, the timeline or the case (the detail has them)."""

    class Meta(ReferralSerializer.Meta):
        fields = [f for f in ReferralSerializer.Meta.fields if f not in {"shared", "events"}]

    def to_representation(self, referral):
        return serializers.ModelSerializer.to_representation(self, referral)


class ReferralSendSerializer(serializers.Serializer):
    case = serializers.UUIDField()
    provider = serializers.UUIDField()
    service = serializers.ChoiceField(choices=ServiceType.choices)
    reason = serializers.ChoiceField(choices=ReferralReason.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    shared_parts = serializers.ListField(child=serializers.ChoiceField(choices=SharedPart.choices))
    support_needed = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    is_transfer = serializers.BooleanField(required=False, default=False)
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Without consent in force: a supervisor's reason to send anyway, or a caseworker's request.",
    )


class ReferralScope(ScopedMixin):
    required_actions = {"GET": "referrals.view", "POST": "referrals.send"}
    visible_model = Referral

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "actor": api_actor(self.request)}


@extend_schema(
    parameters=[
        OpenApiParameter("direction", str, enum=["outgoing", "incoming"]),
        OpenApiParameter("status", str),
    ]
)
class ReferralList(ReferralScope, generics.ListCreateAPIView):
    """Referrals sent and received; POST sends one from a case (consent rules as on the page)."""

    def get_serializer_class(self):
        return ReferralSendSerializer if self.request.method == "POST" else ReferralListSerializer

    def visible(self, actor):
        direction = self.request.query_params.get("direction")
        if direction not in {None, "", "outgoing", "incoming"}:
            raise serializers.ValidationError({"direction": "Use outgoing or incoming."})
        referrals = {"outgoing": outgoing_referrals, "incoming": incoming_referrals}.get(
            direction or "", referrals_visible_to
        )(actor)
        if self.request.query_params.get("status"):
            referrals = referrals.filter(status=self.request.query_params["status"])
        return for_lists(referrals).order_by("-created_at")

    def create(self, request, *args, **kwargs):
        actor = api_actor(request)
        serializer = ReferralSendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = get_visible_or_404(cases_visible_to(actor), data.pop("case"))
        provider = get_visible_or_404(providers_visible_to(actor), data.pop("provider"))
        referral = services.referral_send(actor=actor, case=case, provider=provider, **data)
        return Response(
            ReferralSerializer(referral, context={"actor": actor}).data, status=status.HTTP_201_CREATED
        )


class ReferralDetail(ReferralScope, generics.RetrieveAPIView):
    """One referral; the read is audited, as on the page."""

    serializer_class = ReferralSerializer

    def get_object(self):
        return get_visible_or_404(
            self.get_queryset(), self.kwargs["uuid"], actor=api_actor(self.request), audit=True
        )

    def visible(self, actor):
        return referrals_visible_to(actor)


class ReferralRespondSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["accept", "decline", "complete"])
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="accept: for the sender"
    )
    reference = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="accept, complete: the receiver's reference"
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="decline: required"
    )
    outcome = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="complete: required"
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text="The referral's version as read: if it changed since, the answer is refused with 409",
    )


class ReferralRespond(APIView):
    """The receiving organisation's answer: accept, decline (with a reason) or complete (with the outcome)."""

    permission_classes = [IsMemberAndVerified, ActionPermission]
    required_actions = {"POST": "referrals.respond"}
    serializer_class = ReferralRespondSerializer

    @extend_schema(request=ReferralRespondSerializer, responses=ReferralSerializer)
    def post(self, request, uuid):
        actor = api_actor(request)
        referral = get_visible_or_404(incoming_referrals(actor), uuid)
        serializer = ReferralRespondSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = data["version"]
        if data["action"] == "accept":
            referral = services.referral_accept(
                actor=actor,
                referral=referral,
                note=data["note"],
                reference=data["reference"],
                version=version,
            )
        elif data["action"] == "decline":
            referral = services.referral_decline(
                actor=actor, referral=referral, reason=data["reason"], version=version
            )
        else:
            referral = services.referral_complete(
                actor=actor,
                referral=referral,
                outcome=data["outcome"],
                reference=data["reference"],
                version=version,
            )
        return Response(ReferralSerializer(referral, context={"actor": actor}).data)


class ReferralWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why the referral is withdrawn (required)")
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text="The referral's version as read: if it changed since, the withdrawal is refused with 409",
    )


class ReferralWithdraw(APIView):
    """The sending organisation withdraws its referral (sent, or accepted and not completed), saying why. The
    receiver is told and can no longer read what was shared."""

    permission_classes = [IsMemberAndVerified, ActionPermission]
    required_actions = {"POST": "referrals.send"}
    serializer_class = ReferralWithdrawSerializer

    @extend_schema(request=ReferralWithdrawSerializer, responses=ReferralSerializer)
    def post(self, request, uuid):
        actor = api_actor(request)
        referral = get_visible_or_404(outgoing_referrals(actor), uuid)
        serializer = ReferralWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = services.referral_withdraw(
            actor=actor,
            referral=referral,
            reason=serializer.validated_data["reason"],
            version=serializer.validated_data["version"],
        )
        return Response(ReferralSerializer(referral, context={"actor": actor}).data)
