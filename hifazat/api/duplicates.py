"""API v1 for duplicate detection: the check before registering, the review queue, merge and undo."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from hifazat.api.people import PersonCreateSerializer
from hifazat.api.permissions import api_actor
from hifazat.api.views import ScopedMixin
from hifazat.core.access import get_visible_or_404
from hifazat.people.duplicates import candidates_for_registration
from hifazat.people.merge import merges_visible_to, person_merge, person_unmerge, suspicions_visible_to
from hifazat.people.models import DuplicateSuspicion, PersonMerge
from hifazat.people.selectors import households_visible_to


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
