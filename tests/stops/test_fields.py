"""A stop's fields are listed once (stops.fields): the admin's form, the coordinators' stop
page and the API take those lists, and the admin's sections lay out exactly those fields."""

from django.contrib import admin

from api.serializers.stops import StopSerializer
from journey.forms import StopAdminForm
from stops.fields import (
    STOP_COMPUTED_FIELDS,
    STOP_DETAIL_FIELDS,
    STOP_FIELDS,
    STOP_LOCAL_TIME_FIELDS,
    STOP_PLACE_FIELDS,
    STOP_SHOWN_FIELDS,
)
from stops.models import Stop
from web.coordinator.forms import StopEditForm


def test_the_lists_name_fields_of_the_model_and_only_computed_ones_are_read_only():
    editable = {name: Stop._meta.get_field(name).editable for name in STOP_SHOWN_FIELDS}

    assert sorted(name for name, can in editable.items() if not can) == sorted(STOP_COMPUTED_FIELDS)
    assert set(STOP_PLACE_FIELDS) | set(STOP_LOCAL_TIME_FIELDS) <= set(STOP_FIELDS)


def test_the_forms_and_the_api_show_the_fields_in_the_listed_order():
    serializer = StopSerializer()

    assert tuple(StopAdminForm.base_fields)[: len(STOP_FIELDS) + 1] == ("journey", *STOP_FIELDS)
    assert tuple(StopEditForm.base_fields)[: len(STOP_DETAIL_FIELDS)] == STOP_DETAIL_FIELDS
    assert tuple(serializer.fields)[: len(STOP_SHOWN_FIELDS) + 1] == ("id", *STOP_SHOWN_FIELDS)
    assert serializer.local_time_fields == STOP_LOCAL_TIME_FIELDS


def test_the_coordinators_page_leaves_the_place_to_the_admin():
    assert [name for name in STOP_PLACE_FIELDS if name in StopEditForm.base_fields] == []


def test_the_admin_form_holds_the_listed_fields_and_its_own_extras(rf, admin_user):
    request = rf.get("/admin/stops/stop/add/")
    request.user = admin_user

    form = admin.site._registry[Stop].get_form(request, obj=None)

    extras = ["journey", "based_on_version", "add_to_route"]
    assert sorted(form.base_fields) == sorted([*extras, *STOP_FIELDS])
