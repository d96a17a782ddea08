"""The roster pages under /plan/<slug>/roster/: upload, preview, confirm, result; and export.

Upload: the file is read and checked (``participants.roster.import_roster`` with
``dry_run``) and the preview lists who would be created, updated or deleted and every error;
nothing is written. Confirm re-posts the same file content, signed (for this journey and this
coordinator, for an hour) in a hidden field, so what is saved is exactly what was previewed;
it is checked again, because the journey may have changed since.
"""

from __future__ import annotations

import base64
import binascii
import zlib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from participants.roster import export_roster, import_roster
from web.coordinator.views.base import _journey, login_required

SIGNING_SALT = "caravana.roster"
CONFIRM_MAX_AGE = 3600  # seconds between the preview and the confirmation
# The hidden field must fit in a request's non-file data (DATA_UPLOAD_MAX_MEMORY_SIZE).
CONFIRM_MAX_CHARS = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 64 * 1024
EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file"),
        help_text=gettext_lazy("CSV (UTF-8), XLSX or ODS, with a header row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.ods"}),
    )
    delete_missing = forms.BooleanField(
        label=gettext_lazy("Delete the participants who are not in the file"),
        required=False,
        help_text=gettext_lazy("Their seats and beds are deleted with them."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CARAVANA_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(size)s MB.")
                % {"size": settings.CARAVANA_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class RosterConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)


def _scope(request, journey) -> str:
    return f"{SIGNING_SALT}:{journey.pk}:{request.user.pk}"


def _sign(request, journey, *, content: bytes, filename: str, delete_missing: bool) -> str:
    packed = base64.b64encode(zlib.compress(content, 9)).decode("ascii")
    value = {"content": packed, "filename": filename[:200], "delete_missing": delete_missing}
    return signing.dumps(value, salt=_scope(request, journey))


def _unsign(request, journey, payload: str) -> dict | None:
    try:
        value = signing.loads(payload, salt=_scope(request, journey), max_age=CONFIRM_MAX_AGE)
        content = zlib.decompress(base64.b64decode(value["content"]))
    except (signing.BadSignature, KeyError, TypeError, binascii.Error, zlib.error):
        return None
    return {**value, "content": content}


def _preview(request, journey, result, *, payload: str | None, delete_missing: bool, status=200):
    return render(
        request,
        "web/coordinator/roster.html",
        {
            "journey": journey,
            "result": result,
            "confirm": RosterConfirmForm(initial={"payload": payload}) if payload else None,
            "delete_missing": delete_missing,
            "upload": RosterUploadForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def roster_import(request, slug: str):
    journey = _journey(request, slug)
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(request, journey)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(
            request,
            "web/coordinator/roster.html",
            {"journey": journey, "upload": form},
            status=400 if request.method == "POST" else 200,
        )
    upload = form.cleaned_data["file"]
    content = upload.read()
    delete_missing = form.cleaned_data["delete_missing"]
    result = import_roster(
        journey=journey,
        content=content,
        filename=upload.name,
        delete_missing=delete_missing,
        dry_run=True,
    )
    payload = None
    if result.ok:
        payload = _sign(
            request, journey, content=content, filename=upload.name, delete_missing=delete_missing
        )
        if len(payload) > CONFIRM_MAX_CHARS:
            payload = None
            messages.error(
                request,
                _("This file is too large to confirm here: import it with the command or the API."),
            )
    return _preview(
        request,
        journey,
        result,
        payload=payload,
        delete_missing=delete_missing,
        status=200 if result.ok else 400,
    )


def _confirm(request, journey):
    form = RosterConfirmForm(request.POST)
    value = _unsign(request, journey, form.data.get("payload", ""))
    if value is None:
        messages.error(request, _("The preview has expired: upload the file again."))
        return render(
            request,
            "web/coordinator/roster.html",
            {"journey": journey, "upload": RosterUploadForm()},
            status=400,
        )
    result = import_roster(
        journey=journey,
        content=value["content"],
        filename=value["filename"],
        delete_missing=value["delete_missing"],
    )
    if not result.ok:  # the journey changed since the preview
        return _preview(
            request,
            journey,
            result,
            payload=None,
            delete_missing=value["delete_missing"],
            status=400,
        )
    return render(
        request, "web/coordinator/roster_result.html", {"journey": journey, "result": result}
    )


@login_required
@require_safe
def roster_export(request, slug: str, format: str):
    journey = _journey(request, slug)
    if format not in EXPORTS:
        raise Http404
    body = export_roster(journey=journey, format=format)
    response = HttpResponse(body, content_type=EXPORTS[format])
    filename = f"{journey.slug}-roster-{timezone.now():%Y%m%d}.{format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
