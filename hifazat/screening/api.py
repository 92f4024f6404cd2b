"""API v1 for risk screening: a person's screenings, recording one, and the follow-up queue."""

from __future__ import annotations

from rest_framework import generics, serializers, status
from rest_framework.response import Response

from hifazat.api.permissions import api_actor
from hifazat.api.views import ScopedMixin
from hifazat.core.access import get_visible_or_404
from hifazat.core.audit import audit_read
from hifazat.people.selectors import persons_visible_to
from hifazat.screening import services
from hifazat.screening.models import FollowUp, Screening
from hifazat.screening.selectors import followup_queue, screenings_visible_to


class ScreeningSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    person = serializers.UUIDField(source="person.uuid", read_only=True)
    catalogue_version = serializers.CharField(source="catalogue_version.version", read_only=True)

    class Meta:
        model = Screening
        fields = [
            "id",
            "person",
            "catalogue_version",
            "answers",
            "score",
            "band",
            "reasons",
            "red_flags",
            "screened_at",
            "trafficking_status",
        ]
        read_only_fields = ["score", "band", "reasons", "red_flags", "screened_at", "trafficking_status"]


class ScreeningCreateSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.CharField(), help_text="question id → answer value")


class FollowUpSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    person = serializers.UUIDField(source="person.uuid", read_only=True)
    screening = serializers.UUIDField(source="screening.uuid", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "person", "screening", "kind", "priority", "due_on", "status", "is_overdue"]


class PersonScreenings(ScopedMixin, generics.ListCreateAPIView):
    """A person's screenings, newest first; POST records a new one (consent for screening must be in force)."""

    serializer_class = ScreeningSerializer
    required_actions = {"GET": "screening.view", "POST": "screening.run"}
    visible_model = Screening

    def person(self):
        if not hasattr(self, "_person"):
            self._person = get_visible_or_404(
                persons_visible_to(api_actor(self.request)), self.kwargs["uuid"]
            )
        return self._person

    def visible(self, actor):
        return screenings_visible_to(actor).filter(person=self.person()).order_by("-screened_at")

    def list(self, request, *args, **kwargs):
        """The screenings' answers and scores: reading them is audited on the person."""
        response = super().list(request, *args, **kwargs)
        audit_read(
            api_actor(request), self.person(), records="screenings", count=len(response.data["results"])
        )
        return response

    def get_serializer_class(self):
        return ScreeningCreateSerializer if self.request.method == "POST" else ScreeningSerializer

    def create(self, request, *args, **kwargs):
        person = self.person()
        serializer = ScreeningCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        screening = services.screening_record(
            actor=api_actor(request), person=person, answers=serializer.validated_data["answers"]
        )
        return Response(ScreeningSerializer(screening).data, status=status.HTTP_201_CREATED)


class ScreeningDetail(ScopedMixin, generics.RetrieveAPIView):
    serializer_class = ScreeningSerializer
    required_actions = {"GET": "screening.view"}
    visible_model = Screening

    def visible(self, actor):
        return screenings_visible_to(actor).select_related("person", "catalogue_version")

    def get_object(self):
        """Reading a screening (answers, score, red flags) is audited, as its page is."""
        return get_visible_or_404(
            self.get_queryset(), self.kwargs["uuid"], actor=api_actor(self.request), audit=True
        )


class FollowUpQueue(ScopedMixin, generics.ListAPIView):
    """Open follow-ups, most urgent first, then by due date."""

    serializer_class = FollowUpSerializer
    required_actions = {"GET": "screening.view"}
    visible_model = FollowUp

    def visible(self, actor):
        return followup_queue(actor).filter(status=FollowUp.Status.OPEN).select_related("person", "screening")
