"""The admin of participants, vehicles and their seat and bed assignments."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import OuterRef, Prefetch, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from journey.admin import RouteListFilter, count_subquery
from journey.admin_scope import CoordinatedOnly, related_filter
from journey.forms import JourneyInlineFormSet, JourneyScopedForm
from journey.models import RouteStop
from journey.plan import load_plan
from journey.tokens import revoke_participant_token, rotate_participant_token
from participants.models import BedAssignment, Participant, SeatAssignment, Vehicle
from participants.occupancy import plan_occupancy
from participants.retention import erase_participant
from participants.services import assign_bed, assign_seat, free_bed, free_seat
from stops.models import StopStatus

# --- Seats and beds go through participants.services ----------------------------------------------

PLACES = (SeatAssignment, BedAssignment)


def save_place(place) -> None:
    """Save a seat or bed the admin's form validated, through its service."""
    if isinstance(place, SeatAssignment):
        assign_seat(
            participant=place.participant,
            vehicle=place.vehicle,
            from_stop=place.from_stop,
            to_stop=place.to_stop,
            is_driver=place.is_driver,
            seat=place,
        )
    else:
        assign_bed(
            participant=place.participant, lodging=place.lodging, night=place.night, bed=place
        )


def free_place(place) -> None:
    if isinstance(place, SeatAssignment):
        free_seat(seat=place)
    else:
        free_bed(bed=place)


class PlacesThroughServices:
    """A ModelAdmin mixin: seats and beds, on their own pages or inline, are given and taken
    back by ``participants.services`` (capacity under lock, the rider's calendar told), as on
    the coordinators' pages and in the API."""

    def save_model(self, request, obj, form, change):
        if isinstance(obj, PLACES):
            save_place(obj)
        else:
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if isinstance(obj, PLACES):
            free_place(obj)
        else:
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if queryset.model not in PLACES:
            return super().delete_queryset(request, queryset)
        for place in queryset:
            free_place(place)

    def save_formset(self, request, form, formset, change):
        if formset.model not in PLACES:
            return super().save_formset(request, form, formset, change)
        places = formset.save(commit=False)
        for place in formset.deleted_objects:
            free_place(place)
        for place in places:
            save_place(place)
        formset.save_m2m()


# --- Participants --------------------------------------------------------------------------------


def route_end_city(*, last: bool):
    """The city of the first (or last) stop of the outer row's route that is not cancelled."""
    route_stops = (
        RouteStop.objects.filter(route_id=OuterRef("route_id"))
        .exclude(stop__status=StopStatus.CANCELLED)
        .order_by("-position" if last else "position")
    )
    return Subquery(route_stops.values("stop__city")[:1])


class ParticipantSeatInline(admin.TabularInline):
    model = SeatAssignment
    form = JourneyScopedForm
    formset = JourneyInlineFormSet
    fields = ("vehicle", "from_stop", "to_stop", "is_driver")
    extra = 0
    verbose_name_plural = _("seats")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("participant", "vehicle", "from_stop", "to_stop")
        )


class ParticipantBedInline(admin.TabularInline):
    model = BedAssignment
    form = JourneyScopedForm
    formset = JourneyInlineFormSet
    fields = ("lodging", "night")
    extra = 0
    verbose_name_plural = _("beds")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant", "lodging")


@admin.register(Participant)
class ParticipantAdmin(PlacesThroughServices, CoordinatedOnly, admin.ModelAdmin):
    form = JourneyScopedForm
    list_display = ("display_name", "role", "language", "route", "segment", "vehicles", "journey")
    list_filter = ("journey", "role", "language", ("route", RouteListFilter))
    search_fields = ("display_name", "full_name", "phone", "email")
    # A login is linked to a participant by the person themself, never picked here: a
    # list of logins would tell every username, and picking one would let a coordinator
    # read another person's account.
    readonly_fields = ("user", "segment", "personal_links")
    inlines = (ParticipantSeatInline, ParticipantBedInline)
    actions = ("rotate_links", "revoke_links", "erase_personal_data")
    # PARTICIPANT_FIELDS (participants.fields) laid out in sections, with the journey and the
    # read-only extras; a test checks that the sections hold exactly those fields.
    fieldsets = (
        (None, {"fields": ("journey", "user", "display_name", "full_name", ("role", "language"))}),
        (
            _("Contact"),
            {
                "fields": (
                    ("phone", "email"),
                    ("emergency_contact_name", "emergency_contact_phone"),
                )
            },
        ),
        (_("Travel"), {"fields": ("route", ("join_stop", "leave_stop"), "segment")}),
        (_("Needs"), {"fields": ("dietary_needs", "accessibility_needs", "medical_notes")}),
        (_("Notes"), {"fields": ("notes",)}),
        (_("Personal itinerary"), {"fields": ("personal_links",)}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("journey", "route__journey", "join_stop", "leave_stop")
            .annotate(
                route_first_city=route_end_city(last=False),
                route_last_city=route_end_city(last=True),
            )
            .prefetch_related(
                Prefetch(
                    "seats",
                    queryset=SeatAssignment.objects.select_related("vehicle").order_by("pk"),
                )
            )
        )

    def get_inlines(self, request, obj):
        return self.inlines if obj else ()  # choices come from the saved participant's journey

    @admin.display(description=_("secret links"))
    def personal_links(self, participant):
        if not participant.pk:
            return ""
        if not participant.secret_token:
            return _("Revoked. Use the action “Give new secret links” to send a new one.")
        token = participant.secret_token
        return format_html(
            '<a href="{}">{}</a><br><a href="{}">{}</a><br>{}',
            reverse("journey:personal_feed", kwargs={"token": token}),
            _("Calendar feed (to subscribe on a phone)"),
            reverse("journey:personal_pdf", kwargs={"token": token}),
            _("Printable itinerary (PDF)"),
            _("Send these links only to this participant; anyone with them sees the itinerary."),
        )

    @admin.action(description=_("Give new secret links (the old ones stop working)"))
    def rotate_links(self, request, queryset):
        for participant in queryset:
            rotate_participant_token(participant=participant)
        self.message_user(request, _("New secret links made: %(n)d.") % {"n": len(queryset)})

    @admin.action(description=_("Revoke secret links"))
    def revoke_links(self, request, queryset):
        for participant in queryset:
            revoke_participant_token(participant=participant)
        self.message_user(request, _("Secret links revoked: %(n)d.") % {"n": len(queryset)})

    @admin.action(description=_("Erase personal data (cannot be undone)"))
    def erase_personal_data(self, request, queryset):
        """Erase on request: asks for confirmation first, like Django's delete action."""
        if request.POST.get("confirm") == "yes":
            for participant in queryset:
                erase_participant(participant=participant)
            self.message_user(
                request, _("Personal data erased: %(n)d participants.") % {"n": len(queryset)}
            )
            return None
        return TemplateResponse(
            request,
            "admin/participants/participant/erase_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Erase personal data?"),
                "participants": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.display(description=_("segment"))
    def segment(self, participant):
        if not participant.pk or not participant.route_id:
            return ""
        start = (
            participant.join_stop.city
            if participant.join_stop_id
            else getattr(participant, "route_first_city", None)
        )
        end = (
            participant.leave_stop.city
            if participant.leave_stop_id
            else getattr(participant, "route_last_city", None)
        )
        if not start or not end:
            return ""
        return f"{start} → {end}"

    @admin.display(description=_("vehicle"))
    def vehicles(self, participant):
        if not participant.pk:
            return ""
        names = dict.fromkeys(seat.vehicle.name for seat in participant.seats.all())
        return ", ".join(names)


# --- Vehicles ------------------------------------------------------------------------------------


class VehicleSeatInline(admin.TabularInline):
    model = SeatAssignment
    form = JourneyScopedForm
    formset = JourneyInlineFormSet
    fields = ("participant", "from_stop", "to_stop", "is_driver")
    extra = 0
    verbose_name_plural = _("people on board")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("participant", "vehicle", "from_stop", "to_stop")
        )


@admin.register(Vehicle)
class VehicleAdmin(PlacesThroughServices, CoordinatedOnly, admin.ModelAdmin):
    form = JourneyScopedForm
    list_display = ("name", "journey", "route", "kind", "seats", "assigned", "plate")
    list_filter = ("journey", "kind", ("route", RouteListFilter))
    search_fields = ("name", "plate")
    readonly_fields = ("occupancy",)
    inlines = (VehicleSeatInline,)
    fieldsets = (
        (None, {"fields": ("journey", "route", "name", ("kind", "seats"), "plate", "notes")}),
        (_("Occupancy"), {"fields": ("occupancy",)}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("journey", "route__journey")
            .annotate(
                passenger_count=count_subquery(
                    SeatAssignment.objects.filter(is_driver=False), "vehicle"
                ),
                driver_count=count_subquery(
                    SeatAssignment.objects.filter(is_driver=True), "vehicle"
                ),
            )
        )

    def get_inlines(self, request, obj):
        return self.inlines if obj else ()

    @admin.display(description=_("assigned"))
    def assigned(self, vehicle):
        return ", ".join(
            (
                ngettext("%(n)d passenger", "%(n)d passengers", vehicle.passenger_count)
                % {"n": vehicle.passenger_count},
                ngettext("%(n)d driver", "%(n)d drivers", vehicle.driver_count)
                % {"n": vehicle.driver_count},
            )
        )

    @admin.display(description=_("passengers per leg"))
    def occupancy(self, vehicle):
        if not vehicle.pk:
            return ""
        plan = load_plan(vehicle.journey)
        route_plan = plan.route_plans.get(vehicle.route_id)
        if route_plan is None or not route_plan.legs:
            return _("The route has no legs yet.")
        load = plan_occupancy(plan, [seat for seat in plan.seats if seat.vehicle_id == vehicle.pk])
        passengers = [len(load[(vehicle.pk, i)].passengers) for i in range(len(route_plan.legs))]
        drivers = [len(load[(vehicle.pk, i)].drivers) for i in range(len(route_plan.legs))]
        return "; ".join(
            _("%(leg)s: %(taken)d/%(seats)d seats, %(drivers)s")
            % {
                "leg": str(leg),
                "taken": passengers[index],
                "seats": vehicle.seats,
                "drivers": ngettext("%(n)d driver", "%(n)d drivers", drivers[index])
                % {"n": drivers[index]},
            }
            for index, leg in enumerate(route_plan.legs)
        )


# --- Assignments ---------------------------------------------------------------------------------


@admin.register(SeatAssignment)
class SeatAssignmentAdmin(PlacesThroughServices, CoordinatedOnly, admin.ModelAdmin):
    form = JourneyScopedForm
    list_display = ("participant", "vehicle", "from_stop", "to_stop", "is_driver")
    list_filter = ("vehicle__journey", "is_driver", "vehicle")
    search_fields = ("participant__display_name", "vehicle__name")
    list_select_related = ("participant", "vehicle", "from_stop", "to_stop")


@admin.register(BedAssignment)
class BedAssignmentAdmin(PlacesThroughServices, CoordinatedOnly, admin.ModelAdmin):
    form = JourneyScopedForm
    list_display = ("participant", "lodging", "night")
    list_filter = ("lodging__stop__journey", "night", ("lodging", related_filter("stop")))
    search_fields = ("participant__display_name", "lodging__name")
    list_select_related = ("participant", "lodging__stop")
    date_hierarchy = "night"
