"""API v1 views: thin wrappers over the parts' selectors (reads) and services (writes)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from hifazat.accounts.selectors import organisations_visible_to
from hifazat.api.permissions import ActionPermission, IsMemberAndVerified, api_actor
from hifazat.api.serializers import AdminAreaSerializer, JobSerializer, OrganisationSerializer, SiteSerializer
from hifazat.core.access import get_visible_or_404
from hifazat.core.audit import audit_list
from hifazat.core.jobs import jobs_visible_to
from hifazat.geography import services as geography_services
from hifazat.geography.selectors import areas_visible_to, sites_in_area, sites_visible_to


class ScopedMixin:
    """Lists and lookups start from the part's ``*_visible_to(actor)``; a lookup outside it is a 404."""

    permission_classes = [IsMemberAndVerified, ActionPermission]
    lookup_field = "uuid"

    # Each view names ``visible(actor)``, its part's selector, and ``visible_model`` for schema generation.

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return self.visible_model.objects.none()
        return self.visible(api_actor(self.request))

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), self.kwargs["uuid"])


class AuditedListMixin:
    """For lists of sensitive records (people, cases): each request leaves one audit entry with the model, how
    many rows were sent out of how many matched, and the names of the filters in ``filter_names`` that were used
    (their values are never recorded)."""

    filter_names: tuple[str, ...] = ()

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        data = response.data
        rows = data["results"] if isinstance(data, dict) else data
        total = data["count"] if isinstance(data, dict) else len(rows)
        used = [name for name in self.filter_names if request.query_params.get(name)]
        audit_list(api_actor(request), self.visible_model, count=len(rows), total=total, filters=used)
        return response


class OrganisationScope(ScopedMixin):
    serializer_class = OrganisationSerializer
    required_actions = {"GET": "organisations.view"}
    visible_model = OrganisationSerializer.Meta.model

    def visible(self, actor):
        return organisations_visible_to(actor)


class OrganisationList(OrganisationScope, generics.ListAPIView):
    pass


class OrganisationDetail(OrganisationScope, generics.RetrieveAPIView):
    pass


class AreaScope(ScopedMixin):
    serializer_class = AdminAreaSerializer
    required_actions = {"GET": "geography.view"}
    visible_model = AdminAreaSerializer.Meta.model

    def visible(self, actor):
        return areas_visible_to(actor)


@extend_schema(
    parameters=[OpenApiParameter("level", int), OpenApiParameter("parent", str, description="P-code")]
)
class AreaList(AreaScope, generics.ListAPIView):
    def visible(self, actor):
        areas = super().visible(actor).order_by("level", "pcode")
        level = self.request.query_params.get("level")
        if level is not None:
            if level not in {"0", "1", "2", "3"}:
                raise serializers.ValidationError({"level": "Use 0, 1, 2 or 3."})
            areas = areas.filter(level=int(level))
        if self.request.query_params.get("parent"):
            areas = areas.filter(parent__pcode=self.request.query_params["parent"])
        return areas


class AreaDetail(AreaScope, generics.RetrieveAPIView):
    pass


@extend_schema(
    parameters=[
        OpenApiParameter("area", str, description="P-code of an area; sites in it or below"),
        OpenApiParameter("site_type", str),
    ]
)
class SiteList(ScopedMixin, generics.ListCreateAPIView):
    serializer_class = SiteSerializer
    required_actions = {"GET": "geography.view", "POST": "geography.manage"}
    visible_model = SiteSerializer.Meta.model

    def visible(self, actor):
        sites = sites_visible_to(actor).order_by("name")
        pcode = self.request.query_params.get("area")
        if pcode and self.request.method == "GET":
            area = areas_visible_to(actor).filter(pcode=pcode).first()
            if area is None:
                raise serializers.ValidationError({"area": f"{pcode} is not a registered P-code."})
            sites = sites_in_area(sites, area)
        if self.request.query_params.get("site_type"):
            sites = sites.filter(site_type=self.request.query_params["site_type"])
        return sites

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        site = geography_services.site_create(actor=api_actor(request), code=data.pop("code"), **data)
        site = sites_visible_to(api_actor(request)).get(pk=site.pk)
        return Response(self.get_serializer(site).data, status=status.HTTP_201_CREATED)


class SiteDetail(ScopedMixin, generics.RetrieveUpdateAPIView):
    serializer_class = SiteSerializer
    required_actions = {"GET": "geography.view", "PATCH": "geography.manage", "PUT": "geography.manage"}
    visible_model = SiteSerializer.Meta.model

    def visible(self, actor):
        return sites_visible_to(actor)

    def update(self, request, *args, **kwargs):
        site = self.get_object()
        serializer = self.get_serializer(site, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "code" in data and data["code"] != site.code:
            raise serializers.ValidationError({"code": "A site's code cannot change."})
        data.pop("code", None)
        geography_services.site_update(actor=api_actor(request), site=site, **data)
        return Response(self.get_serializer(self.get_object()).data)


class JobScope(ScopedMixin):
    """Long work of the caller's organisation (imports and later exports), newest first."""

    serializer_class = JobSerializer
    required_actions = {"GET": "api.use"}
    visible_model = JobSerializer.Meta.model

    def visible(self, actor):
        return jobs_visible_to(actor)


class JobList(JobScope, generics.ListAPIView):
    pass


class JobDetail(JobScope, generics.RetrieveAPIView):
    pass
