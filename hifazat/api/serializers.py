from __future__ import annotations

from rest_framework import serializers

from hifazat.accounts.models import Organisation
from hifazat.core.models import Job
from hifazat.geography.models import AdminArea, Site, SiteType


class OrganisationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "org_type", "country"]


class AdminAreaSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    parent_pcode = serializers.CharField(source="parent.pcode", read_only=True, default=None)

    class Meta:
        model = AdminArea
        fields = ["id", "pcode", "name", "name_ur", "level", "parent_pcode"]


class SiteSerializer(serializers.ModelSerializer):
    """Sites, read and written. Areas and organisations are named by P-code and UUID, never by internal keys."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    area_pcode = serializers.SlugRelatedField(
        source="area", slug_field="pcode", queryset=AdminArea.objects.all()
    )
    managing_organisation = serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    site_type = serializers.ChoiceField(choices=SiteType.choices)
    population = serializers.IntegerField(read_only=True, allow_null=True)
    population_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Site
        fields = [
            "id",
            "code",
            "name",
            "name_ur",
            "site_type",
            "area_pcode",
            "latitude",
            "longitude",
            "managing_organisation",
            "capacity",
            "is_open",
            "population",
            "population_on",
        ]
        # Uniqueness and model rules are checked by the service's full_clean, which answers in the same format.
        validators = []
        extra_kwargs = {"code": {"validators": []}}


class JobSerializer(serializers.ModelSerializer):
    """The state of a piece of long work. The uploaded content itself is never returned."""

    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "total",
            "file_name",
            "errors",
            "result",
            "created_at",
            "started_at",
            "finished_at",
        ]
