"""Where the plan breaks: the schedule problems journey.checks finds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins

from api.serializers.problems import ProblemSerializer
from api.views.base import JourneyScopedViewSet
from journey.checks import find_problems
from journey.problems import Kind, Severity


@extend_schema_view(
    list=extend_schema(
        summary=_("Where the plan breaks"),
        parameters=[
            OpenApiParameter("severity", str, enum=list(Severity.values)),
            OpenApiParameter("kind", str, enum=list(Kind.values)),
        ],
    )
)
class ProblemViewSet(mixins.ListModelMixin, JourneyScopedViewSet):
    """Schedule problems found by journey.checks: nights without lodging, vehicles over
    capacity, drivers over their hours, and more. Read only."""

    schema_tag = "problems"

    serializer_class = ProblemSerializer
    filter_backends = []
    query_actions = ("list",)

    def list(self, request, journey_slug=None):
        problems = find_problems(self.journey)
        for name, choices in (("severity", Severity.values), ("kind", Kind.values)):
            wanted = request.query_params.get(name)
            if wanted:
                if wanted not in choices:
                    raise exceptions.ValidationError({name: [_("Not a known value.")]})
                problems = [p for p in problems if getattr(p, name) == wanted]
        page = self.paginate_queryset(problems)
        return self.get_paginated_response(ProblemSerializer(page, many=True).data)
