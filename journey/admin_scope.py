"""What a coordinator sees in the admin: only the rows of the journeys they coordinate.

One mixin, ``CoordinatedOnly``, put before ``admin.ModelAdmin`` on every ModelAdmin of the
journey, stops and participants apps, scopes everything the admin shows or offers:

* the changelist and the change pages (``get_queryset``);
* every choice of every form and inline form, including fields a form adds itself
  (the stop form's "add to route") and many-to-many fields (a journey's coordinators);
* every list filter over a relation (a journey, a route, a lodging's name and city,
  the coordinators), also those declared as plain field names;
* query strings the database cannot take (an id of 20 digits, year 99999999 in the date
  hierarchy): the admin treats them like any other bad filter (back to the list with
  ``?e=1``) instead of failing with a 500; a posted id of 20 digits is an invalid choice.

Rows are scoped with ``journey.access.coordinated_rows`` (``JOURNEY_LOOKUPS``). Logins are
scoped to the coordinator's colleagues (the coordinators of their journeys); any other
model that belongs to no journey offers nothing to a coordinator. Superusers see everything.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist

from caravana.params import MAX_PK
from journey.access import JOURNEY_LOOKUPS, coordinated_rows

_WHOLE_NUMBER = re.compile(r"\s*[+-]?[0-9]+\s*")


def scope_choices(queryset, user):
    """The rows of ``queryset`` that ``user`` may see as a label or pick in the admin."""
    if user.is_superuser:
        return queryset
    model = queryset.model
    if model._meta.label_lower in JOURNEY_LOOKUPS:
        return coordinated_rows(queryset, user)
    if model is get_user_model():
        colleagues = model.objects.filter(coordinated_journeys__coordinators=user)
        return queryset.filter(pk__in=colleagues.values("pk"))
    return queryset.none()


def _too_big(value) -> bool:
    """A whole number past 64 bits (read without ``int()`` when it is very long)."""
    if not isinstance(value, str) or not _WHOLE_NUMBER.fullmatch(value):
        return False
    digits = value.strip().lstrip("+-").lstrip("0") or "0"
    return len(digits) > len(str(MAX_PK)) or int(digits) > MAX_PK


def _bounded(field: forms.ModelChoiceField) -> None:
    """Refuse an id no database column holds before the field looks it up (SQLite would
    raise ``OverflowError`` for it, a 500)."""
    clean = field.clean

    def bounded_clean(value):
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if _too_big(item):
                if isinstance(field, forms.ModelMultipleChoiceField):
                    message, params = field.error_messages["invalid_pk_value"], {"pk": item}
                    raise forms.ValidationError(message, code="invalid_pk_value", params=params)
                message, params = field.error_messages["invalid_choice"], {"value": item}
                raise forms.ValidationError(message, code="invalid_choice", params=params)
        return clean(value)

    field.clean = bounded_clean


def scoped_form(form_class, user):
    """``form_class`` whose choice fields, also those its own ``__init__`` sets, are scoped
    to what ``user`` may see, and refuse ids past 64 bits."""

    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = scope_choices(field.queryset, user)
                _bounded(field)

    return type(form_class.__name__, (form_class,), {"__init__": __init__})


class CoordinatedRelatedFilter(admin.RelatedFieldListFilter):
    """A related-object list filter offering only what the viewer may see; its labels'
    relations (``select_related``) are read in the same query."""

    select_related: tuple[str, ...] = ()

    def field_choices(self, field, request, model_admin):
        queryset = field.remote_field.model._default_manager.select_related(*self.select_related)
        queryset = scope_choices(queryset, request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


def related_filter(*select_related: str):
    """A ``CoordinatedRelatedFilter`` whose labels read these relations."""
    return type(
        "CoordinatedRelatedFilter", (CoordinatedRelatedFilter,), {"select_related": select_related}
    )


def _is_relation(model, path: str) -> bool:
    try:
        field = get_fields_from_path(model, path)[-1]
    except FieldDoesNotExist:
        return False
    return bool(getattr(field, "is_relation", False))


def _out_of_range(admin_view, request) -> bool:
    """A query string value the database cannot take: an integer past 64 bits, or a date
    hierarchy part that is not a plain year, month or day."""
    hierarchy = admin_view.date_hierarchy
    parts = {f"{hierarchy}__{part}" for part in ("year", "month", "day")} if hierarchy else set()
    for key, values in request.GET.lists():
        for value in values:
            if key in parts and not re.fullmatch(r"[0-9]{1,4}", value):
                return True
            if any(_too_big(item) for item in value.split(",")):
                return True
    return False


class CoordinatedOnly:
    """A ModelAdmin mixin: a coordinator sees and chooses only the rows of the journeys they
    coordinate (superusers see everything). Put it before ``admin.ModelAdmin``."""

    def get_queryset(self, request):
        return coordinated_rows(super().get_queryset(request), request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return scoped_form(super().get_form(request, obj, change, **kwargs), request.user)

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.form = scoped_form(formset.form, request.user)
            yield formset, inline

    def get_list_filter(self, request):
        scoped = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str) and _is_relation(self.model, entry):
                entry = (entry, CoordinatedRelatedFilter)
            elif (
                isinstance(entry, tuple)
                and issubclass(entry[1], admin.RelatedFieldListFilter)
                and not issubclass(entry[1], CoordinatedRelatedFilter)
            ):
                entry = (entry[0], CoordinatedRelatedFilter)
            scoped.append(entry)
        return scoped

    def get_changelist_instance(self, request):
        if _out_of_range(self, request):
            raise IncorrectLookupParameters
        return super().get_changelist_instance(request)
