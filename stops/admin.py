"""The admin of stops, their activities, host allies and lodging."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from journey.admin import route_positions_text
from journey.admin_scope import CoordinatedOnly
from journey.formatting import format_local
from journey.forms import (
    ActivityAdminForm,
    JourneyInlineFormSet,
    JourneyScopedForm,
    LocalTimesInlineFormSet,
    LodgingAdminForm,
    MealAdminForm,
    StopAdminForm,
)
from journey.services import append_stop
from participants.admin import PlacesThroughServices
from participants.models import BedAssignment
from stops.models import Activity, HostAlly, HostStatus, LocalContact, Lodging, Meal, Stop
from stops.services import approve_host, decline_host, site_base_url

# --- Stops -------------------------------------------------------------------------------------


class ActivityInline(admin.TabularInline):
    model = Activity
    form = ActivityAdminForm
    formset = LocalTimesInlineFormSet
    fields = ("title", "kind", "starts_at", "ends_at", "venue", "is_public")
    extra = 0
    show_change_link = True


class LocalContactInline(admin.TabularInline):
    """Rapid-response, legal-aid and medical numbers riders of this stop can call."""

    model = LocalContact
    fields = ("kind", "name", "phone", "notes", "host")
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "host":
            stop_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = HostAlly.objects.filter(journey__stops=stop_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MealInline(admin.TabularInline):
    """Meals at this stop, provided by one of the journey's host allies or by the team."""

    model = Meal
    form = MealAdminForm
    formset = LocalTimesInlineFormSet
    fields = ("kind", "starts_at", "place", "provided_by", "notes")
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "provided_by":
            stop_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = HostAlly.objects.filter(journey__stops=stop_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LodgingInline(admin.StackedInline):
    model = Lodging
    form = LodgingAdminForm
    formset = LocalTimesInlineFormSet
    fields = (
        ("name", "kind", "host"),
        "address",
        ("capacity", "check_in", "check_out"),
        "accessibility_notes",
        "notes",
    )
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("stop")  # the rows' labels


@admin.register(Stop)
class StopAdmin(CoordinatedOnly, admin.ModelAdmin):
    form = StopAdminForm
    list_display = (
        "city",
        "state",
        "journey",
        "local_arrival",
        "local_departure",
        "kind",
        "status",
        "is_public",
    )
    list_filter = ("journey", "kind", "status", "state", "is_public")
    search_fields = ("city", "venue", "address")
    list_select_related = ("journey",)
    ordering = ("journey", "arrival", "pk")
    readonly_fields = ("timezone", "route_positions")
    inlines = (ActivityInline, MealInline, LodgingInline, LocalContactInline)
    # STOP_FIELDS (stops.fields) laid out in sections, with the journey, the version check and
    # the read-only extras; a test checks that the sections hold exactly those fields.
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "journey",
                    ("city", "state", "country"),
                    "venue",
                    "address",
                    "based_on_version",
                )
            },
        ),
        (
            _("Coordinates"),
            {
                "fields": (("latitude", "longitude"), "timezone"),
                "description": _(
                    "Leave both empty to find the place from its city and state. The time "
                    "zone follows from the coordinates."
                ),
            },
        ),
        (_("Times"), {"fields": ("arrival", "departure")}),
        (
            _("Appointment window (for the route planner)"),
            {"fields": ("earliest_arrival", "latest_arrival"), "classes": ("collapse",)},
        ),
        (_("Status"), {"fields": ("kind", "status", "is_public")}),
        (_("Routes"), {"fields": ("route_positions", "add_to_route")}),
        (_("Notes"), {"fields": ("public_notes", "private_notes")}),
    )

    def get_inlines(self, request, obj):
        return self.inlines if obj else ()  # their times need the saved stop's time zone

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        route = form.cleaned_data.get("add_to_route")
        if route is not None:
            append_stop(route=route, stop=obj)

    @admin.display(description=_("arrival (local)"), ordering="arrival")
    def local_arrival(self, stop):
        return format_local(stop.arrival, stop.tzinfo)

    @admin.display(description=_("departure (local)"), ordering="departure")
    def local_departure(self, stop):
        return format_local(stop.departure, stop.tzinfo)

    @admin.display(description=_("on routes"))
    def route_positions(self, stop):
        if not stop.pk:
            return ""
        return route_positions_text(stop.route_stops.select_related("route").order_by("route_id"))


@admin.register(Activity)
class ActivityAdmin(CoordinatedOnly, admin.ModelAdmin):
    form = ActivityAdminForm
    list_display = ("title", "stop", "kind", "local_start", "local_end", "is_public")
    list_filter = ("stop__journey", "kind", "is_public")
    search_fields = ("title", "venue", "stop__city")
    list_select_related = ("stop",)
    ordering = ("starts_at", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("stop")

    @admin.display(description=_("starts (local)"), ordering="starts_at")
    def local_start(self, activity):
        return format_local(activity.starts_at, activity.stop.tzinfo)

    @admin.display(description=_("ends (local)"), ordering="ends_at")
    def local_end(self, activity):
        return format_local(activity.ends_at, activity.stop.tzinfo)


# --- Host allies ---------------------------------------------------------------------------------


@admin.register(HostAlly)
class HostAllyAdmin(CoordinatedOnly, admin.ModelAdmin):
    form = JourneyScopedForm
    list_display = (
        "organization",
        "city",
        "state",
        "journey",
        "stop",
        "status",
        "offers",
        "decided_at",
    )
    list_filter = (
        "status",
        "journey",
        "offers_meals",
        "offers_venue",
        "offers_transport",
        "state",
    )
    search_fields = ("organization", "contact_name", "email", "phone", "city")
    list_select_related = ("journey", "stop")
    actions = ("approve", "decline")
    readonly_fields = ("created_at",)
    fieldsets = (
        (None, {"fields": ("journey", "stop", "organization", ("city", "state"))}),
        (_("Contact"), {"fields": ("contact_name", "email", "phone")}),
        (
            _("Offers"),
            {
                "fields": (
                    ("available_from", "available_until"),
                    "offers_beds",
                    ("offers_meals", "meals_capacity", "offers_venue", "offers_transport"),
                    "offers_other",
                    "accessibility",
                )
            },
        ),
        (_("Decision"), {"fields": ("status", "created_at", "decided_at", "notes")}),
    )

    @admin.display(description=_("offers"))
    def offers(self, host):
        parts = []
        if host.offers_beds:
            parts.append(
                ngettext("%(n)d bed", "%(n)d beds", host.offers_beds) % {"n": host.offers_beds}
            )
        if host.offers_meals:
            parts.append(_("meals"))
        if host.offers_venue:
            parts.append(_("venue"))
        if host.offers_transport:
            parts.append(_("transport"))
        if host.offers_other:
            parts.append(host.offers_other)
        return ", ".join(str(part) for part in parts)

    @admin.action(description=_("Approve the selected host allies"), permissions=["change"])
    def approve(self, request, queryset):
        count = 0
        for host in queryset.exclude(status=HostStatus.APPROVED):
            try:
                approve_host(host=host, base_url=site_base_url(request))
            except ValidationError as error:
                self.message_user(
                    request,
                    _("%(host)s was not approved: %(reason)s")
                    % {"host": host, "reason": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                count += 1
        self.message_user(
            request,
            ngettext("%(n)d host ally approved.", "%(n)d host allies approved.", count)
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Decline the selected host allies"), permissions=["change"])
    def decline(self, request, queryset):
        count = 0
        for host in queryset.exclude(status=HostStatus.DECLINED):
            decline_host(host=host)
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d host ally declined.", "%(n)d host allies declined.", count)
            % {"n": count},
            messages.SUCCESS,
        )


# --- Lodging -------------------------------------------------------------------------------------


def attach_occupancy(lodgings) -> None:
    """Set ``beds_by_night`` ({night: beds assigned}) on each lodging, in one query."""
    by_lodging: dict[int, dict] = defaultdict(dict)
    counts = (
        BedAssignment.objects.filter(lodging_id__in=[lodging.pk for lodging in lodgings])
        .order_by()
        .values_list("lodging_id", "night")
        .annotate(n=Count("pk"))
    )
    for lodging_id, night, n in counts:
        by_lodging[lodging_id][night] = n
    for lodging in lodgings:
        lodging.beds_by_night = by_lodging[lodging.pk]


def occupancy_text(lodging) -> str:
    """Beds taken per night: "Mar 1: 8/10, Mar 2: 10/10"."""
    if not hasattr(lodging, "beds_by_night"):
        attach_occupancy([lodging])
    return ", ".join(
        _("%(night)s: %(taken)d/%(beds)d")
        % {
            "night": formats.date_format(night, "M j"),
            "taken": lodging.beds_by_night.get(night, 0),
            "beds": lodging.capacity,
        }
        for night in lodging.nights
    )


class BedAssignmentInline(admin.TabularInline):
    model = BedAssignment
    form = JourneyScopedForm
    formset = JourneyInlineFormSet
    fields = ("participant", "night")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant", "lodging")


@admin.register(Lodging)
class LodgingAdmin(PlacesThroughServices, CoordinatedOnly, admin.ModelAdmin):
    form = LodgingAdminForm
    list_display = (
        "name",
        "stop",
        "kind",
        "capacity",
        "local_check_in",
        "local_check_out",
        "occupancy",
    )
    list_filter = ("stop__journey", "kind")
    search_fields = ("name", "stop__city")
    list_select_related = ("stop",)
    readonly_fields = ("occupancy",)
    inlines = (BedAssignmentInline,)
    fieldsets = (
        (None, {"fields": ("stop", "host", "name", "kind", "address")}),
        (_("Beds and nights"), {"fields": ("capacity", "check_in", "check_out", "occupancy")}),
        (_("Notes"), {"fields": ("accessibility_notes", "notes")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("stop")

    def get_inlines(self, request, obj):
        return self.inlines if obj else ()  # beds are given among the journey's participants

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        attach_occupancy(list(changelist.result_list))  # one query for the whole page
        return changelist

    @admin.display(description=_("check-in (local)"), ordering="check_in")
    def local_check_in(self, lodging):
        return format_local(lodging.check_in, lodging.stop.tzinfo)

    @admin.display(description=_("check-out (local)"), ordering="check_out")
    def local_check_out(self, lodging):
        return format_local(lodging.check_out, lodging.stop.tzinfo)

    @admin.display(description=_("beds taken per night"))
    def occupancy(self, lodging):
        return occupancy_text(lodging) if lodging.pk else ""


@admin.register(LocalContact)
class LocalContactAdmin(CoordinatedOnly, admin.ModelAdmin):
    list_display = ("name", "kind", "phone", "stop")
    list_filter = ("kind", "stop__journey")
    search_fields = ("name", "phone", "stop__city")
    list_select_related = ("stop",)
    autocomplete_fields = ()


@admin.register(Meal)
class MealAdmin(CoordinatedOnly, admin.ModelAdmin):
    form = MealAdminForm
    list_display = ("kind", "local_time", "stop", "place", "provided_by")
    list_filter = ("kind", "stop__journey")
    search_fields = ("place", "stop__city", "provided_by__organization")
    list_select_related = ("stop", "provided_by")

    @admin.display(description=_("time (local)"), ordering="starts_at")
    def local_time(self, meal):
        return format_local(meal.starts_at, meal.stop.tzinfo)
