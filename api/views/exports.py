"""Files from the export registry (calendars, lists, booklets), served through
journey.exporters.serve like the pages' own downloads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from api.permissions import EVERYONE, deny
from api.serializers.exports import ExportInfoSerializer
from api.views.base import JourneyScopedViewSet, _query_id
from api.views.journeys import personal_participant
from journey.exporters import ExportError, ExportRequest, exporters
from journey.exporters.serve import ExportTarget, serve_export
from journey.itinerary import Audience
from journey.plan import load_plan


class AnyAcceptNegotiation(DefaultContentNegotiation):
    """A file export answers in its own format whatever the Accept header says."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            return renderers[0], renderers[0].media_type


def exporter_classes() -> dict[str, type]:
    return {cls.identifier(): cls for cls in exporters()}


def export_parameters() -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            "audience",
            str,
            enum=[a.value for a in Audience],
            description=_(
                "public (anyone), team (coordinators), personal (a participant: yourself, or "
                "any participant for coordinators), host (a stop: hosts of that stop and "
                "coordinators). Default: the fullest you may see."
            ),
        ),
        OpenApiParameter("stop", int, description=_("Limit to one stop (host: required).")),
        OpenApiParameter("participant", int, description=_("Personal exports: whose.")),
        OpenApiParameter("language", str, description=_("en or es (default: yours).")),
    ]


class ExportViewSet(JourneyScopedViewSet):
    """Files from the export registry (journey.exporters): calendars, lists, booklets.
    A new format registered there appears here without further code."""

    schema_tag = "exports"

    read_roles = EVERYONE
    lookup_field = "identifier"
    lookup_value_regex = r"[-a-z0-9_]+"
    filter_backends = []
    pagination_class = None
    content_negotiation_class = AnyAcceptNegotiation
    serializer_class = ExportInfoSerializer
    query_actions = ("retrieve",)

    @extend_schema(summary=_("Exports you may download"))
    def list(self, request, journey_slug=None):
        allowed = self.access.audiences
        rows = []
        for identifier, cls in exporter_classes().items():
            audiences = sorted(a.value for a in cls.audiences & allowed)
            if not audiences:
                continue
            rows.append(
                {
                    "identifier": identifier,
                    "format": cls.format,
                    "document": cls.document,
                    "content_type": cls.content_type,
                    "extension": cls.extension,
                    "audiences": audiences,
                    "uses_stop": cls.uses_stop,
                    "needs_stop": cls.needs_stop,
                    "url": request.build_absolute_uri(f"{request.path}{identifier}/"),
                }
            )
        return Response(ExportInfoSerializer(rows, many=True).data)

    @extend_schema(
        summary=_("Download an export"),
        parameters=[
            OpenApiParameter(
                "identifier",
                str,
                OpenApiParameter.PATH,
                enum=sorted(exporter_classes()),
                description=_("format-document, as listed by the exports list."),
            ),
            *export_parameters(),
        ],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
        },
    )
    def retrieve(self, request, journey_slug=None, identifier=None):
        cls = exporter_classes().get(identifier)
        if cls is None:
            raise exceptions.NotFound()
        access = self.access
        plan = load_plan(self.journey)
        audience, participant, stop = self.export_target(request, access, plan, cls)
        language = request.query_params.get("language") or (
            participant.language if participant is not None else request.LANGUAGE_CODE
        )
        target = ExportTarget(
            cls(),
            ExportRequest(audience, participant=participant, stop=stop),
            language,
            f"{self.journey.slug}-{cls.document}",
        )
        try:
            return serve_export(request._request, access, target)
        except ExportError as error:
            raise exceptions.ValidationError({"detail": [str(error)]}) from None

    def export_target(self, request, access, plan, exporter_class):
        wanted = request.query_params.get("audience") or ""
        valid = [a.value for a in Audience]
        if wanted and wanted not in valid:
            raise exceptions.ValidationError({"audience": [_("Not a known audience.")]})
        stop_id = _query_id(request, "stop")
        stop = None
        if stop_id is not None:
            stop = plan.stops_by_id.get(stop_id)
            if stop is None or not access.can("stop.view", stop):
                raise exceptions.NotFound()
        if not wanted:  # the fullest view this export offers and the visitor may have
            usable = exporter_class.audiences & access.audiences
            if not usable:
                deny(access, may_read=True)
            preferred = (Audience.TEAM, Audience.PERSONAL, Audience.HOST, Audience.PUBLIC)
            wanted = next(a for a in preferred if a in usable)
        audience = Audience(wanted)
        participant = None
        if audience == Audience.TEAM and not access.is_team:
            deny(access, may_read=True)
        if audience == Audience.HOST:
            if stop is None:
                raise exceptions.ValidationError({"stop": [_("A host export needs a stop.")]})
            if not access.can("stop.view_host_sheet", stop):
                deny(access, may_read=True)
        if audience == Audience.PERSONAL:
            participant = personal_participant(access, plan, _query_id(request, "participant"))
        return audience, participant, stop
