"""POST /api/journeys/<slug>/participants/import/: a roster file, checked and (unless a dry
run) saved by ``participants.roster.import_roster``, all or nothing."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api.views.base import JourneyScopedViewSet
from participants.roster import import_roster


class RosterImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("The roster: CSV (UTF-8), XLSX or ODS with a header row (see the README).")
    )
    dry_run = serializers.BooleanField(
        default=False, help_text=_("Check the file and answer what would change; save nothing.")
    )
    delete_missing = serializers.BooleanField(
        default=False, help_text=_("Delete the journey's participants who are not in the file.")
    )

    def validate_file(self, upload):
        if upload.size > settings.CARAVANA_MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(_("The file is too large."))
        return upload


class RosterRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("The row's line in the file (1: the first)."))
    name = serializers.CharField()


class RosterChangeSerializer(serializers.Serializer):
    column = serializers.CharField()
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class RosterUpdateSerializer(RosterRowSerializer):
    changes = RosterChangeSerializer(many=True)


class RosterErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    column = serializers.CharField(
        allow_blank=True, help_text=_("The column as the file names it; empty: the whole row.")
    )
    message = serializers.CharField()


class RosterResultSerializer(serializers.Serializer):
    saved = serializers.BooleanField(help_text=_("False for a dry run or when any row is wrong."))
    created = RosterRowSerializer(many=True)
    updated = RosterUpdateSerializer(many=True)
    unchanged = serializers.IntegerField()
    deleted = serializers.ListField(child=serializers.CharField())
    errors = RosterErrorSerializer(many=True)


@extend_schema_view(
    create=extend_schema(
        summary=_("Import participants from a roster file"),
        request={"multipart/form-data": RosterImportSerializer},
        responses={200: RosterResultSerializer},
    )
)
class ParticipantImportViewSet(JourneyScopedViewSet):
    """Import the journey's participants from a CSV, XLSX or ODS file."""

    schema_tag = "participants"
    serializer_class = RosterImportSerializer
    # JSON is read too, only to answer a body without a file with 400 (not 415).
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def create(self, request, journey_slug=None):
        """Reads every row, reports every error (line and column) and saves nothing when any
        row is wrong: the answer is then 400 with the same body, ``errors`` filled. People
        already on the journey with the same email or phone are updated; nobody is deleted
        unless ``delete_missing`` is set."""
        serializer = RosterImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        result = import_roster(
            journey=self.journey,
            content=upload.read(),
            filename=upload.name or "",
            delete_missing=serializer.validated_data["delete_missing"],
            dry_run=serializer.validated_data["dry_run"],
        )
        answer = status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST
        return Response(result.as_dict(), status=answer)
