"""API v1 for livelihood programmes: programmes and their rules, the ranked list with reasons, enrolment (and the
waiting list), passing over, support against the budget, follow-up visits, funders' figures, and referrals from
cases. Thin wrappers over ``services`` and ``selectors``; service errors become 400 and 403 in one place
(``hifazat/api/exceptions.py``)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from hifazat.accounts.models import Organisation, User
from hifazat.api.permissions import api_actor
from hifazat.api.views import ScopedMixin
from hifazat.cases.models import Case
from hifazat.cases.selectors import cases_visible_to
from hifazat.core.access import get_visible_or_404
from hifazat.geography.models import AdminArea, Site
from hifazat.livelihoods import selection, services
from hifazat.livelihoods.models import (
    Enrolment,
    OutcomeVisit,
    Programme,
    ProgrammeReferral,
    SelectionRule,
    Skip,
    Support,
)
from hifazat.livelihoods.rules import rule_sentence
from hifazat.livelihoods.selectors import (
    chart_data,
    enrolments_visible_to,
    figures_policy,
    programme_figures,
    programme_figures_visible_to,
    programmes_visible_to,
    ranked_rows,
    visits_visible_to,
    with_totals,
)
from hifazat.people.models import Person


class UUIDRelated(serializers.SlugRelatedField):
    def __init__(self, queryset, **kwargs) -> None:
        super().__init__(slug_field="uuid", queryset=queryset, **kwargs)


class ProgrammeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    implementing_organisation = serializers.UUIDField(source="implementing_organisation.uuid", read_only=True)
    funder = UUIDRelated(Organisation.objects.filter(is_active=True), required=False, allow_null=True)
    sites = UUIDRelated(Site.objects.all(), many=True, required=False)
    areas = UUIDRelated(AdminArea.objects.all(), many=True, required=False)

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "name_ur",
            "kind",
            "trade",
            "description",
            "implementing_organisation",
            "funder",
            "sites",
            "areas",
            "capacity",
            "budget_per_participant",
            "currency",
            "starts_on",
            "ends_on",
            "household_limit",
            "followup_months",
            "status",
        ]


class SelectionRuleSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    site = UUIDRelated(Site.objects.all(), required=False, allow_null=True)
    area = UUIDRelated(AdminArea.objects.all(), required=False, allow_null=True)
    rank = serializers.IntegerField(min_value=1, required=False)
    sentence = serializers.SerializerMethodField()

    class Meta:
        model = SelectionRule
        fields = [
            "id",
            "purpose",
            "rank",
            "condition",
            "values",
            "age_min",
            "age_max",
            "site",
            "area",
            "sentence",
        ]

    def get_sentence(self, rule) -> str:
        return rule_sentence(rule)


class LivelihoodEnrolmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    programme = serializers.UUIDField(source="programme.uuid", read_only=True)
    household = serializers.UUIDField(source="household.uuid", read_only=True)
    person = serializers.UUIDField(source="person.uuid", read_only=True)
    spent = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, default=None)
    over_budget = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "programme",
            "household",
            "person",
            "status",
            "priority_score",
            "reasons",
            "passed_over",
            "departure_reason",
            "agreed_by",
            "income_before",
            "listed_on",
            "enrolled_on",
            "ended_on",
            "end_reason",
            "spent",
            "over_budget",
            "version",
        ]

    def get_over_budget(self, enrolment) -> bool | None:
        spent = getattr(enrolment, "spent", None)
        return None if spent is None else spent > enrolment.programme.budget_per_participant


class LivelihoodEnrolSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    agreed = serializers.BooleanField(help_text="The person agrees to take part.")
    agreed_by = serializers.CharField(required=False, default="self")
    agreed_by_name = serializers.CharField(required=False, default="", allow_blank=True)
    departure_reason = serializers.CharField(required=False, default="", allow_blank=True)
    income_before = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    on = serializers.DateField(required=False, allow_null=True)


class ProgrammeSkipSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    household = serializers.UUIDField(source="household.uuid")

    class Meta:
        model = Skip
        fields = ["id", "household", "reason", "priority_score", "created_at"]
        read_only_fields = ["priority_score", "created_at"]


class LivelihoodEndSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN])
    reason = serializers.CharField(required=False, default="", allow_blank=True)
    on = serializers.DateField(required=False, allow_null=True)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="the enrolment's version you read; an enrolment changed since is refused with 409",
    )


class LivelihoodSupportSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    verified_by = serializers.SlugRelatedField(
        slug_field="uuid", queryset=User.objects.filter(is_active=True)
    )

    class Meta:
        model = Support
        fields = [
            "id",
            "kind",
            "delivered_on",
            "description",
            "quantity",
            "amount",
            "currency",
            "exchange_rate",
            "value",
            "verified_by",
        ]
        read_only_fields = ["value"]


class LivelihoodVisitSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    enrolment = serializers.UUIDField(source="enrolment.uuid", read_only=True)

    class Meta:
        model = OutcomeVisit
        fields = [
            "id",
            "enrolment",
            "months_after",
            "due_on",
            "status",
            "visited_on",
            "income",
            "activity_running",
            "employment",
            "note",
        ]
        read_only_fields = ["months_after", "due_on"]


class ProgrammeReferralSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="uuid", queryset=Programme.objects.all())
    support_plan = serializers.UUIDField(
        source="support_plan.uuid", help_text="a Livelihood support plan of the case"
    )
    case = serializers.UUIDField(source="case.uuid", read_only=True)
    person = serializers.UUIDField(source="person.uuid", read_only=True)

    class Meta:
        model = ProgrammeReferral
        fields = ["id", "programme", "support_plan", "case", "person", "note", "status", "created_at"]
        read_only_fields = ["status", "created_at"]


# --- Views ------------------------------------------------------------------------------------------------------


class ProgrammeList(ScopedMixin, generics.ListCreateAPIView):
    """The programmes the caller's organisation implements; POST creates one."""

    serializer_class = ProgrammeSerializer
    required_actions = {"GET": "livelihoods.view", "POST": "livelihoods.manage"}
    visible_model = Programme

    def visible(self, actor):
        return programmes_visible_to(actor).prefetch_related("sites", "areas").order_by("-starts_on", "name")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("status", None)
        programme = services.programme_create(actor=api_actor(request), **data)
        return Response(self.get_serializer(programme).data, status=status.HTTP_201_CREATED)


class ProgrammeDetail(ScopedMixin, generics.RetrieveUpdateAPIView):
    serializer_class = ProgrammeSerializer
    required_actions = {"GET": "livelihoods.view", "PATCH": "livelihoods.manage", "PUT": "livelihoods.manage"}
    visible_model = Programme

    def visible(self, actor):
        return programmes_visible_to(actor).prefetch_related("sites", "areas")

    def update(self, request, *args, **kwargs):
        programme = self.get_object()
        serializer = self.get_serializer(programme, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        services.programme_update(actor=api_actor(request), programme=programme, **serializer.validated_data)
        return Response(self.get_serializer(self.get_object()).data)


class ProgrammeScoped(ScopedMixin):
    """Endpoints under one programme of the caller's organisation."""

    def programme(self) -> Programme:
        return get_visible_or_404(programmes_visible_to(api_actor(self.request)), self.kwargs["uuid"])


class ProgrammeRules(ProgrammeScoped, generics.ListCreateAPIView):
    """A programme's rules, each with its sentence; POST adds one."""

    serializer_class = SelectionRuleSerializer
    required_actions = {"GET": "livelihoods.view", "POST": "livelihoods.manage"}
    visible_model = SelectionRule

    def visible(self, actor):
        return self.programme().rules.select_related("site", "area").order_by("purpose", "rank")

    def create(self, request, *args, **kwargs):
        programme = self.programme()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule = services.rule_add(actor=api_actor(request), programme=programme, **serializer.validated_data)
        return Response(self.get_serializer(rule).data, status=status.HTTP_201_CREATED)


class RankedHouseholdSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    household = serializers.UUIDField(source="household.uuid")
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())
    participants = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    referred = serializers.SerializerMethodField()

    def get_participants(self, row) -> list[str]:
        return [str(p.uuid) for p in row.participants]

    def get_decision(self, row) -> str:
        if row.enrolment is not None:
            return row.enrolment.status
        if row.skip is not None:
            return "passed_over"
        return "elsewhere" if row.elsewhere else ""

    def get_referred(self, row) -> bool:
        return bool(row.referrals)


@extend_schema(
    parameters=[OpenApiParameter("undecided", bool, description="only households not yet decided about")],
    responses=RankedHouseholdSerializer(many=True),
)
class ProgrammeRanking(ProgrammeScoped, generics.GenericAPIView):
    """The ranked list of eligible households, with the priority rules each met, in pages."""

    serializer_class = RankedHouseholdSerializer
    required_actions = {"GET": "livelihoods.enrol"}
    visible_model = Programme

    def visible(self, actor):
        return programmes_visible_to(actor)

    def get(self, request, *args, **kwargs):
        programme = self.programme()
        plan = selection.plan_for(programme)
        households = (
            selection.next_undecided(programme, plan)
            if request.query_params.get("undecided") in ("1", "true")
            else selection.ranked_households(programme, plan=plan)
        )
        page = self.paginate_queryset(households.select_related("site", "head"))
        rows = ranked_rows(programme, page, self.paginator.offset, plan)
        data = RankedHouseholdSerializer(rows, many=True).data
        return self.get_paginated_response(data)


class ProgrammeEnrolments(ProgrammeScoped, generics.ListCreateAPIView):
    """A programme's participants and waiting list with their totals against the budget; POST enrols (or puts on
    the waiting list when every place is taken)."""

    serializer_class = LivelihoodEnrolmentSerializer
    required_actions = {"GET": "livelihoods.view", "POST": "livelihoods.enrol"}
    visible_model = Enrolment

    def visible(self, actor):
        return with_totals(
            enrolments_visible_to(actor)
            .filter(programme=self.programme())
            .order_by("status", "-priority_score", "pk")
        )

    def get_serializer_class(self):
        return LivelihoodEnrolSerializer if self.request.method == "POST" else LivelihoodEnrolmentSerializer

    def create(self, request, *args, **kwargs):
        programme = self.programme()
        actor = api_actor(request)
        serializer = LivelihoodEnrolSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        person = Person.objects.filter(
            uuid=data.pop("person"), organisation=programme.implementing_organisation, is_active=True
        ).first()
        if person is None:
            raise serializers.ValidationError({"person": "No such person in your organisation's registry."})
        enrolment = services.enrol(actor=actor, programme=programme, person=person, **data)
        return Response(LivelihoodEnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class ProgrammeSkips(ProgrammeScoped, generics.ListCreateAPIView):
    """Households passed over, with the reasons; POST passes one over (a reason is required)."""

    serializer_class = ProgrammeSkipSerializer
    required_actions = {"GET": "livelihoods.enrol", "POST": "livelihoods.enrol"}
    visible_model = Skip

    def visible(self, actor):
        return self.programme().skips.select_related("household").order_by("created_at")

    def create(self, request, *args, **kwargs):
        programme = self.programme()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        household = get_visible_or_404(
            programme.implementing_organisation.households.filter(is_active=True),
            serializer.validated_data["household"]["uuid"],
        )
        skip = services.household_skip(
            actor=api_actor(request),
            programme=programme,
            household=household,
            reason=serializer.validated_data["reason"],
        )
        return Response(self.get_serializer(skip).data, status=status.HTTP_201_CREATED)


class ProgrammeFiguresSerializer(serializers.Serializer):
    programme = serializers.UUIDField(source="programme.uuid")
    name = serializers.CharField(source="programme.name")
    places = serializers.IntegerField(source="figures.places")
    enrolled = serializers.CharField(source="figures.enrolled")
    waiting = serializers.CharField(source="figures.waiting")
    completed = serializers.CharField(source="figures.completed")
    withdrawn = serializers.CharField(source="figures.withdrawn")
    women = serializers.CharField(source="figures.women")
    men = serializers.CharField(source="figures.men")
    budget_total = serializers.DecimalField(max_digits=16, decimal_places=2, source="figures.budget_total")
    spent = serializers.DecimalField(max_digits=16, decimal_places=2, source="figures.spent", allow_null=True)
    by_district = serializers.SerializerMethodField()
    over_budget = serializers.CharField(source="figures.over_budget")
    rounded_to = serializers.SerializerMethodField()
    currency = serializers.CharField(source="programme.currency")
    outcomes = serializers.DictField(source="chart")

    def get_by_district(self, data) -> list[dict]:
        return [{"district": district, "participants": n} for district, n in data["figures"].by_district]

    def get_rounded_to(self, data) -> int | None:
        """The base counts are rounded to (null: exact figures, inside the implementing organisation)."""
        policy = data["figures"].policy
        return policy.threshold if policy.controlled else None


@extend_schema(responses=ProgrammeFiguresSerializer)
class ProgrammeFigures(ScopedMixin, generics.GenericAPIView):
    """Aggregate figures only; for a funder, another organisation or an analyst, through disclosure control
    (``core.disclosure``): counts rounded, small ones and those that would give them away hidden ("*"),
    outcome points of too few people left out."""

    serializer_class = ProgrammeFiguresSerializer
    required_actions = {"GET": "livelihoods.aggregates"}
    visible_model = Programme

    def visible(self, actor):
        return programme_figures_visible_to(actor)

    def get(self, request, *args, **kwargs):
        actor = api_actor(request)
        programme = self.get_object()
        figures = programme_figures(programme, policy=figures_policy(actor, programme))
        chart = chart_data(figures.points, currency=programme.currency)
        return Response(
            ProgrammeFiguresSerializer({"programme": programme, "figures": figures, "chart": chart}).data
        )


class EnrolmentDetail(ScopedMixin, generics.RetrieveAPIView):
    serializer_class = LivelihoodEnrolmentSerializer
    required_actions = {"GET": "livelihoods.view"}
    visible_model = Enrolment

    def visible(self, actor):
        return with_totals(enrolments_visible_to(actor))


class EnrolmentEnd(ScopedMixin, generics.GenericAPIView):
    """POST: the participant completed or left (a place freed goes to the waiting list, in rank order)."""

    serializer_class = LivelihoodEndSerializer
    required_actions = {"POST": "livelihoods.enrol"}
    visible_model = Enrolment

    def visible(self, actor):
        return enrolments_visible_to(actor)

    def post(self, request, *args, **kwargs):
        enrolment = self.get_object()
        serializer = LivelihoodEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.enrolment_end(actor=api_actor(request), enrolment=enrolment, **serializer.validated_data)
        return Response(
            LivelihoodEnrolmentSerializer(
                with_totals(enrolments_visible_to(api_actor(request))).get(pk=enrolment.pk)
            ).data
        )


class EnrolmentSupport(ScopedMixin, generics.ListCreateAPIView):
    """The support a participant received; POST records more (verified by a member of the organisation)."""

    serializer_class = LivelihoodSupportSerializer
    required_actions = {"GET": "livelihoods.view", "POST": "livelihoods.enrol"}
    visible_model = Support

    def enrolment(self) -> Enrolment:
        return get_visible_or_404(enrolments_visible_to(api_actor(self.request)), self.kwargs["uuid"])

    def visible(self, actor):
        return self.enrolment().support.select_related("verified_by").order_by("delivered_on", "pk")

    def create(self, request, *args, **kwargs):
        enrolment = self.enrolment()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        support = services.support_record(
            actor=api_actor(request), enrolment=enrolment, **serializer.validated_data
        )
        return Response(self.get_serializer(support).data, status=status.HTTP_201_CREATED)


class VisitDetail(ScopedMixin, generics.RetrieveUpdateAPIView):
    """A follow-up visit; PATCH records it (status, date, income, activity, work)."""

    serializer_class = LivelihoodVisitSerializer
    required_actions = {"GET": "livelihoods.view", "PATCH": "livelihoods.enrol", "PUT": "livelihoods.enrol"}
    visible_model = OutcomeVisit

    def visible(self, actor):
        return visits_visible_to(actor)

    def update(self, request, *args, **kwargs):
        visit = self.get_object()
        serializer = self.get_serializer(visit, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "visited_on" not in data:
            raise serializers.ValidationError({"visited_on": "Give the date of the visit."})
        services.visit_record(actor=api_actor(request), visit=visit, **data)
        return Response(self.get_serializer(self.get_object()).data)


class CaseReferrals(ScopedMixin, generics.ListCreateAPIView):
    """A case's referrals to livelihood programmes; POST refers the case's person to a programme."""

    serializer_class = ProgrammeReferralSerializer
    required_actions = {"GET": "cases.view", "POST": "cases.edit"}
    visible_model = ProgrammeReferral

    def case(self) -> Case:
        return get_visible_or_404(cases_visible_to(api_actor(self.request)), self.kwargs["uuid"])

    def visible(self, actor):
        return (
            self.case()
            .livelihood_referrals.select_related("programme", "person", "support_plan")
            .order_by("-created_at")
        )

    def create(self, request, *args, **kwargs):
        case = self.case()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan = get_visible_or_404(case.support_plans.all(), data.pop("support_plan")["uuid"])
        referral = services.referral_create(actor=api_actor(request), support_plan=plan, **data)
        return Response(self.get_serializer(referral).data, status=status.HTTP_201_CREATED)
