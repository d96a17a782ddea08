"""The admin of journeys, routes and legs: the coordinators' planning desk."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from journey.admin_scope import CoordinatedOnly, related_filter
from journey.checks import find_problems
from journey.formatting import format_distance, format_duration, format_local
from journey.forms import (
    JourneyScopedForm,
    RouteStopFormSet,
    RouteStopInlineForm,
)
from journey.models import Journey, Leg, Route, RouteStop
from journey.plan import Plan, load_plan
from journey.problems import Severity
from journey.services import refresh_legs
from journey.tokens import rotate_team_token
from journey.validators import timezone_choices
from participants.models import Participant
from stops.models import Stop

# --- Shared helpers (the stops and participants admins use them too) ---------------------------


def count_subquery(queryset, fk: str):
    """Count the queryset's rows that point at the outer row through ``fk``, as a subquery.

    Unlike Count() over joins, several of these on one list do not multiply each other's rows.
    """
    counts = queryset.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(n=Count("pk"))
    return Coalesce(Subquery(counts.values("n")[:1]), 0)


RouteListFilter = related_filter("journey")


def admin_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def route_positions_text(route_stops) -> str:
    """Where a stop lies on its routes: "Main: 2, North: 0"."""
    return ", ".join(
        _("%(route)s: %(position)d") % {"route": rs.route.name, "position": rs.position}
        for rs in route_stops
    )


def leg_figures(leg: Leg, unit: str) -> dict:
    return {
        "distance": format_distance(leg.distance_km, unit),
        "driving": format_duration(leg.driving_minutes),
        "breaks": format_duration(leg.break_minutes),
    }


def legs_summary(legs: list[Leg], unit: str) -> str:
    return ngettext(
        "%(n)d leg: %(distance)s, %(driving)s driving and %(breaks)s of rest breaks.",
        "%(n)d legs: %(distance)s, %(driving)s driving and %(breaks)s of rest breaks.",
        len(legs),
    ) % {
        "n": len(legs),
        "distance": format_distance(sum(leg.distance_km for leg in legs), unit),
        "driving": format_duration(sum(leg.driving_minutes for leg in legs)),
        "breaks": format_duration(sum(leg.break_minutes for leg in legs)),
    }


# --- Journey -------------------------------------------------------------------------------


class StopsInRouteOrderFormSet(BaseInlineFormSet):
    """A journey's stops by their position on its first route, then the others by arrival."""

    def get_queryset(self):
        if self.instance.pk is None:
            return super().get_queryset()
        if not hasattr(self, "_queryset"):
            first_route_id = self.instance.routes.order_by("pk").values_list("pk", flat=True)[:1]
            position = RouteStop.objects.filter(
                stop=OuterRef("pk"), route_id=Subquery(first_route_id)
            ).values("position")[:1]
            self._queryset = (
                self.queryset.annotate(first_route_position=Subquery(position))
                .order_by(F("first_route_position").asc(nulls_last=True), "arrival", "pk")
                .prefetch_related(
                    Prefetch(
                        "route_stops",
                        queryset=RouteStop.objects.select_related("route").order_by("route_id"),
                    )
                )
            )
        return self._queryset


class JourneyStopInline(admin.TabularInline):
    model = Stop
    formset = StopsInRouteOrderFormSet
    fields = readonly_fields = (
        "route_positions",
        "city",
        "state",
        "local_arrival",
        "local_departure",
        "kind",
        "status",
    )
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("stops in route order")

    def has_add_permission(self, request, obj=None):
        return False  # a stop is added on its own page, with its local times

    @admin.display(description=_("route positions"))
    def route_positions(self, stop):
        return route_positions_text(stop.route_stops.all())

    @admin.display(description=_("arrival (local)"))
    def local_arrival(self, stop):
        return format_local(stop.arrival, stop.tzinfo) if stop.pk else ""

    @admin.display(description=_("departure (local)"))
    def local_departure(self, stop):
        return format_local(stop.departure, stop.tzinfo) if stop.pk else ""


class JourneyRouteInline(admin.TabularInline):
    model = Route
    fields = ("name", "color", "stop_count")
    readonly_fields = ("stop_count",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(stop_count=count_subquery(RouteStop.objects.all(), "route"))
        )

    @admin.display(description=_("stops"))
    def stop_count(self, route):
        return getattr(route, "stop_count", 0)


@admin.register(Journey)
class JourneyAdmin(CoordinatedOnly, admin.ModelAdmin):
    list_display = (
        "name",
        "start_date",
        "end_date",
        "is_published",
        "stop_count",
        "participant_count",
    )
    list_filter = ("is_published", "start_date", "distance_unit", "coordinators")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("coordinators",)
    readonly_fields = (
        "documents",
        "problem_counts",
        "schedule_problems",
        "leg_summary",
        "legs_overview",
    )
    actions = ("rotate_team_link",)
    inlines = (JourneyRouteInline, JourneyStopInline)
    basic_fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "slug",
                    "description",
                    ("start_date", "end_date"),
                    "home_timezone",
                )
            },
        ),
        (_("Publication"), {"fields": ("is_published",)}),
        (_("Coordinators"), {"fields": ("coordinators",)}),
        (_("Route planner"), {"fields": (("day_start", "day_end"),)}),
        (_("Privacy"), {"fields": ("retention_days",)}),
        (
            _("Leg estimate settings"),
            {
                "fields": (
                    "road_factor",
                    "average_speed_kmh",
                    ("break_every_minutes", "break_minutes"),
                    "distance_unit",
                ),
                "description": _(
                    "Legs are estimated from the stops' coordinates with these settings; "
                    "override a leg's figures on its own page."
                ),
            },
        ),
    )
    plan_fieldsets = (
        (_("Documents and feeds"), {"fields": ("documents",)}),
        (_("Schedule problems"), {"fields": ("problem_counts", "schedule_problems")}),
        (_("Legs"), {"fields": ("leg_summary", "legs_overview")}),
    )

    def get_inlines(self, request, obj):
        return self.inlines if obj else (JourneyRouteInline,)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not request.user.is_superuser:
            # A coordinator who starts or edits a journey stays one of its coordinators.
            form.instance.coordinators.add(request.user)

    @admin.display(description=_("documents and feeds"))
    def documents(self, journey):
        links = [
            (
                _("Team calendar feed (secret link: share only with the team)"),
                "team_feed_by_token",
                {"slug": journey.slug, "token": journey.team_feed_token},
            ),
            (_("Team booklet (PDF)"), "team_booklet", {"slug": journey.slug}),
            (_("Rooming lists (PDF)"), "team_rooming", {"slug": journey.slug}),
            (_("Vehicle manifests (PDF)"), "team_manifest", {"slug": journey.slug}),
        ]
        if not journey.team_feed_token:
            links.pop(0)
        if journey.is_published:
            links += [
                (_("Public calendar feed"), "public_feed", {"slug": journey.slug}),
                (_("Public booklet (PDF)"), "public_booklet", {"slug": journey.slug}),
            ]
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a>',
            ((reverse(f"journey:{name}", kwargs=kwargs), label) for label, name, kwargs in links),
        )

    @admin.action(description=_("Give the team calendar feed a new secret link"))
    def rotate_team_link(self, request, queryset):
        for journey in queryset:
            rotate_team_token(journey=journey)
        self.message_user(
            request,
            ngettext(
                "The team feed of %(n)d journey has a new link; the old one no longer works.",
                "The team feeds of %(n)d journeys have new links; the old ones no longer work.",
                len(queryset),
            )
            % {"n": len(queryset)},
        )

    def get_fieldsets(self, request, obj=None):
        # The plan panels need a saved journey, and load its whole plan: change page only.
        return self.basic_fieldsets + (self.plan_fieldsets if obj else ())

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                stop_count=count_subquery(Stop.objects.all(), "journey"),
                participant_count=count_subquery(Participant.objects.all(), "journey"),
            )
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "home_timezone":
            kwargs["widget"] = forms.Select(choices=timezone_choices())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("stops"), ordering="stop_count")
    def stop_count(self, journey):
        return journey.stop_count

    @admin.display(description=_("participants"), ordering="participant_count")
    def participant_count(self, journey):
        return journey.participant_count

    @staticmethod
    def _plan(journey) -> tuple[Plan, list]:
        """The plan and its problems, loaded once per change page and shared by its panels."""
        if not hasattr(journey, "_admin_plan"):
            plan = load_plan(journey)
            journey._admin_plan = (plan, find_problems(journey, plan=plan))
        return journey._admin_plan

    @admin.display(description=_("problems"))
    def problem_counts(self, journey):
        _plan, problems = self._plan(journey)
        errors = sum(p.severity == Severity.ERROR for p in problems)
        warnings = len(problems) - errors
        return ", ".join(
            (
                ngettext("%(n)d error", "%(n)d errors", errors) % {"n": errors},
                ngettext("%(n)d warning", "%(n)d warnings", warnings) % {"n": warnings},
            )
        )

    @admin.display(description=_("schedule problems"))
    def schedule_problems(self, journey):
        plan, problems = self._plan(journey)
        links = problem_linker(plan)
        groups = []
        for severity in (Severity.ERROR, Severity.WARNING):
            chosen = [p for p in problems if p.severity == severity]
            if chosen:
                groups.append(
                    {
                        "severity": severity.value,
                        "label": severity.label,
                        "problems": [{"message": p.message, "links": links(p)} for p in chosen],
                    }
                )
        return render_to_string("admin/journey/journey/schedule_problems.html", {"groups": groups})

    @admin.display(description=_("total"))
    def leg_summary(self, journey):
        plan, _problems = self._plan(journey)
        return legs_summary([leg for rp in plan.routes for leg in rp.legs], journey.distance_unit)

    @admin.display(description=_("legs by route"))
    def legs_overview(self, journey):
        plan, _problems = self._plan(journey)
        unit = journey.distance_unit
        routes = [
            {
                "name": rp.route.name,
                "summary": legs_summary(rp.legs, unit),
                "legs": [
                    {
                        "name": str(leg),
                        "url": admin_url(leg),
                        "overridden": leg.is_overridden,
                        "reason": leg.override_reason,
                        **leg_figures(leg, unit),
                    }
                    for leg in rp.legs
                ],
            }
            for rp in plan.routes
        ]
        return render_to_string("admin/journey/journey/legs_overview.html", {"routes": routes})


def problem_linker(plan: Plan):
    """A function from a problem to links to the admin pages of what it names."""
    named = {
        "stop_id": (_("stop"), plan.stops_by_id, lambda stop: stop.place_name),
        "leg_id": (_("leg"), {leg.pk: leg for rp in plan.routes for leg in rp.legs}, str),
        "vehicle_id": (_("vehicle"), plan.vehicles_by_id, lambda vehicle: vehicle.name),
        "lodging_id": (
            _("lodging"),
            {lodging.pk: lodging for lodging in plan.lodgings},
            lambda lodging: lodging.name,
        ),
        "activity_id": (
            _("activity"),
            {activity.pk: activity for activity in plan.activities},
            lambda activity: activity.title,
        ),
    }
    people_url = reverse("admin:participants_participant_changelist")

    def links(problem) -> list[dict]:
        found = []
        for attribute, (kind, objects, name) in named.items():
            obj = objects.get(getattr(problem, attribute))
            if obj is not None:
                found.append({"kind": kind, "name": name(obj), "url": admin_url(obj)})
        if problem.participant_ids:
            count = len(problem.participant_ids)
            ids = ",".join(str(pk) for pk in problem.participant_ids)
            found.append(
                {
                    "kind": _("participants"),
                    "name": ngettext("%(n)d person", "%(n)d people", count) % {"n": count},
                    "url": f"{people_url}?id__in={ids}",
                }
            )
        return found

    return links


# --- Routes and legs ---------------------------------------------------------------------------


class RouteStopInline(admin.TabularInline):
    model = RouteStop
    form = RouteStopInlineForm
    formset = RouteStopFormSet
    fields = ("order", "stop", "local_arrival", "stop_status")
    readonly_fields = ("local_arrival", "stop_status")
    extra = 1
    verbose_name_plural = _("stops in route order")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("route", "stop").order_by("position")

    @admin.display(description=_("arrival (local)"))
    def local_arrival(self, route_stop):
        stop = route_stop.stop if route_stop.stop_id else None
        return format_local(stop.arrival, stop.tzinfo) if stop else ""

    @admin.display(description=_("status"))
    def stop_status(self, route_stop):
        return route_stop.stop.get_status_display() if route_stop.stop_id else ""


class LegFiguresMixin:
    """Columns for a leg's figures in its journey's distance unit."""

    @admin.display(description=_("distance"))
    def distance(self, leg):
        return format_distance(leg.distance_km, leg.route.journey.distance_unit)

    @admin.display(description=_("driving"))
    def driving(self, leg):
        return format_duration(leg.driving_minutes)

    @admin.display(description=_("rest breaks"))
    def breaks(self, leg):
        return format_duration(leg.break_minutes)

    @admin.display(description=_("overridden"), boolean=True)
    def overridden(self, leg):
        return leg.is_overridden


class RouteLegInline(LegFiguresMixin, admin.TabularInline):
    model = Leg
    fields = readonly_fields = (
        "position",
        "origin",
        "destination",
        "distance",
        "driving",
        "breaks",
        "overridden",
    )
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("legs (computed from the stops)")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("route__journey", "origin", "destination")
            .order_by("position")
        )


@admin.register(Route)
class RouteAdmin(CoordinatedOnly, admin.ModelAdmin):
    form = JourneyScopedForm
    list_display = ("name", "journey", "color", "stop_count")
    list_filter = ("journey",)
    search_fields = ("name", "journey__name")
    list_select_related = ("journey",)
    inlines = (RouteStopInline, RouteLegInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(stop_count=count_subquery(RouteStop.objects.all(), "route"))
        )

    def get_inlines(self, request, obj):
        return self.inlines if obj else ()  # stops are chosen among the saved route's journey's

    def get_readonly_fields(self, request, obj=None):
        return ("journey",) if obj else ()

    @admin.display(description=_("stops"), ordering="stop_count")
    def stop_count(self, route):
        return route.stop_count


@admin.register(Leg)
class LegAdmin(CoordinatedOnly, LegFiguresMixin, admin.ModelAdmin):
    list_display = ("__str__", "route", "position", "distance", "driving", "breaks", "overridden")
    list_filter = ("route__journey", ("route", RouteListFilter))
    list_select_related = ("route__journey", "origin", "destination")
    search_fields = ("origin__city", "destination__city", "override_reason")
    ordering = ("route", "position")
    readonly_fields = (
        "route",
        "position",
        "origin",
        "destination",
        "computed_distance_km",
        "computed_driving_minutes",
        "break_minutes",
    )
    fieldsets = (
        (None, {"fields": ("route", "position", ("origin", "destination"))}),
        (
            _("Estimate"),
            {"fields": ("computed_distance_km", "computed_driving_minutes", "break_minutes")},
        ),
        (
            _("Override"),
            {
                "fields": ("override_distance_km", "override_driving_minutes", "override_reason"),
                "description": _(
                    "Figures from a real route planner replace the estimate; say where they "
                    "come from. Leave both empty to use the estimate again."
                ),
            },
        ),
    )

    def has_add_permission(self, request):
        return False  # legs follow the routes' stops

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_legs(route=obj.route)  # rest breaks follow the overriding driving time
