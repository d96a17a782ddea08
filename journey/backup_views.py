"""The journey's backup file (docs/backup.md), downloaded by its coordinators.

Like the team documents in journey.views, anyone else gets 404. The file holds everything,
personal data and secret links included, so it is never cached. Logins are named by username
only, as in ``manage.py export_journey``: no password hash and no login's email or names.
"""

import json

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from journey.access import request_access
from journey.backup import export_journey
from journey.models import Journey


@require_safe
def journey_backup(request, slug: str):
    journey = Journey.objects.filter(slug=slug).first()
    if journey is None or not request_access(request, journey).can("journey.view_team"):
        raise Http404
    data = export_journey(journey=journey)
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"{journey.slug}-backup-{timezone.now():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
