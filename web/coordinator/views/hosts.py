"""Host applications: the queue (pending first) and approving or declining one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from journey.tokens import host_page_url, revoke_host_token, rotate_host_token
from stops import services as host_services
from stops.models import HostAlly, HostStatus
from web.coordinator import forms
from web.coordinator.views.base import _journey, login_required


@login_required
@require_safe
def host_queue(request, slug: str):
    journey = _journey(request, slug)
    hosts = (
        HostAlly.objects.filter(journey=journey)
        .select_related("stop")
        .annotate(
            pending_first=Case(
                When(status=HostStatus.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending_first", "-created_at", "-pk")
    )
    return render(request, "web/coordinator/hosts.html", {"journey": journey, "hosts": hosts})


@login_required
def host_review(request, slug: str, pk: int):
    journey = _journey(request, slug)
    host = HostAlly.objects.filter(pk=pk, journey=journey).select_related("stop").first()
    if host is None:
        raise Http404
    host.journey = journey
    action = request.POST.get("action") if request.method == "POST" else None
    approve = forms.ApproveHostForm(
        request.POST if action == "approve" else None, journey=journey, host=host
    )
    decline = forms.DeclineHostForm(request.POST if action == "decline" else None)
    if action == "approve" and approve.is_valid():
        try:
            host, _lodging = host_services.approve_host(
                host=host,
                stop=approve.cleaned_data["stop"],
                lodging=approve.lodging_fields(),
                base_url=host_services.site_base_url(request),
            )
        except ValidationError as error:
            approve.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(host)s was approved and told by email.") % {"host": host.organization},
            )
            return redirect("web:plan_hosts", slug=journey.slug)
    elif action in ("rotate_link", "revoke_link") and host.status == HostStatus.APPROVED:
        if action == "rotate_link":
            rotate_host_token(host=host)
            messages.success(
                request,
                _("%(host)s has a new link to their page; the old one no longer works.")
                % {"host": host.organization},
            )
        else:
            revoke_host_token(host=host)
            messages.success(
                request,
                _("The link to the page of %(host)s was switched off.")
                % {"host": host.organization},
            )
        return redirect("web:plan_host", slug=journey.slug, pk=host.pk)
    elif action == "decline" and decline.is_valid():
        host_services.decline_host(host=host, note=decline.cleaned_data["note"])
        messages.success(
            request, _("%(host)s was declined and told by email.") % {"host": host.organization}
        )
        return redirect("web:plan_hosts", slug=journey.slug)
    return render(
        request,
        "web/coordinator/host_review.html",
        {
            "journey": journey,
            "host": host,
            "approve": approve,
            "decline": decline,
            "host_page_url": request.build_absolute_uri(host_page_url(host))
            if host.secret_token
            else "",
        },
        status=400 if action else 200,
    )
