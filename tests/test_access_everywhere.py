"""PLACEHOLDER"""

from __future__ import annotations

import os
import time
from io import BytesIO

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from api.views import exporter_classes
from tests.access_world import LINK_ROLES, ROLES, build_world

TEAM_LINK_ROLES = ("team_link", "personal_link", "old_team_link")

TABLE: dict[str, dict[str, str]] = {}

# --- The world, built once for the module -----------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once and rolled back after the module; each test runs in a savepoint inside."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


# --- The URLs -------------------------------------------------------------------------------


def served_urls() -> set[str]:
    """Every URL the project serves: its name (``ns:name``), or its pattern when unnamed."""
    found = set()

    def walk(resolver, prefix: str, namespace: str):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                found.add(f"{namespace}{pattern.name}" if pattern.name else f"path:{route}")

    walk(get_resolver(), "", "")
    return found


ADMIN_OBJECT = {  # the row of journey A (or about it) each admin change page opens
    "auth_group": lambda w: w.group,
    "auth_user": lambda w: w.users["rider"],
    "authtoken_tokenproxy": lambda w: w.users["rider"],
    "journey_journey": lambda w: w.a,
    "journey_route": lambda w: w.route,
    "journey_leg": lambda w: w.route.legs.order_by("pk").first(),
    "stops_stop": lambda w: w.stops["phoenix"],
    "stops_activity": lambda w: w.activity,
    "stops_hostally": lambda w: w.host,
    "stops_lodging": lambda w: w.lodging,
    "stops_localcontact": lambda w: w.contact,
    "participants_participant": lambda w: w.rider,
    "participants_vehicle": lambda w: w.bus,
    "participants_seatassignment": lambda w: w.rider.seats.first(),
    "participants_bedassignment": lambda w: w.rider.beds.first(),
}

API_OBJECT = {
    "route": lambda w: w.route,
    "stop": lambda w: w.stops["phoenix"],
    "activity": lambda w: w.activity,
    "leg": lambda w: w.route.legs.order_by("pk").first(),
    "lodging": lambda w: w.lodging,
    "vehicle": lambda w: w.bus,
    "participant": lambda w: w.rider,
    "seat": lambda w: w.rider.seats.first(),
    "bed": lambda w: w.rider.beds.first(),
    "host": lambda w: w.host,
}


def url_for(world, key: str, role: str) -> str:
    """The address a row asks, for one role (link rows put the role's link in it)."""
    name, _, variant = key.partition("[")
    variant = variant.rstrip("]")
    slug = world.a.slug
    token = {
        "own_link": world.rider.secret_token,
        "other_link": world.rider2.secret_token,
        "revoked_link": world.revoked_token,
        "team_link": world.a.team_feed_token,
        "personal_link": world.rider.secret_token,
        "old_team_link": world.old_team_token,
    }.get(role)
    if name.startswith("admin:"):
        return _admin_url(world, name)
    if name.startswith("api:"):
        return _api_url(world, name, variant)
    kwargs = {
        "web:home": {},
        "web:me": {},
        "web:me_detail": {"pk": world.rider.pk},
        "web:plan_journeys": {},
        "web:my_itinerary": {"token": token},
        "journey:personal_feed": {"token": token},
        "journey:personal_pdf": {"token": token},
        "journey:team_feed_by_token": {"slug": slug, "token": token},
        "set_language": {},
    }.get(name, {"slug": slug})
    if "route_id" in _arguments(name):
        kwargs["route_id"] = world.route.pk
    if "stop_id" in _arguments(name):
        kwargs["stop_id"] = world.stops["phoenix"].pk
    if name in ("web:plan_participant", "web:plan_assign"):
        kwargs["pk"] = world.rider.pk
    if name == "web:plan_host":
        kwargs["pk"] = world.applicant.pk
    if name == "web:plan_export_csv":
        kwargs["document"] = variant
    url = reverse(name, kwargs=kwargs)
    if name == "web:plan_route_planner":
        url += "?time_limit=1"
    return url


def _arguments(name: str) -> set[str]:
    resolver = get_resolver()
    namespace, _, short = name.rpartition(":")
    for ns in namespace.split(":") if namespace else []:
        resolver = resolver.namespace_dict[ns][1]
    return {p for _, p in _reverse_params(resolver, short)}


def _reverse_params(resolver, name):
    for possibility, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(name):
        for _result, params in possibility:
            for param in params:
                yield name, param


def _admin_url(world, name: str) -> str:
    short = name.split(":", 1)[1]
    model, _, page = short.rpartition("_")
    if short in ("index", "login", "logout", "password_change", "password_change_done"):
        return reverse(name)
    if short in ("autocomplete", "jsi18n"):
        return reverse(name)
    if short == "app_list":
        return reverse(name, kwargs={"app_label": "journey"})
    if short == "view_on_site":
        content_type = ContentType.objects.get_for_model(world.a)
        return reverse(name, kwargs={"content_type_id": content_type.pk, "object_id": world.a.pk})
    if short == "auth_user_password_change":
        return reverse(name, kwargs={"id": world.users["rider"].pk})
    if page in ("changelist", "add"):
        return reverse(name)
    return reverse(name, kwargs={"object_id": ADMIN_OBJECT[model](world).pk})


def _api_url(world, name: str, variant: str) -> str:
    short = name.split(":", 1)[1]
    if variant == "b":  # journey B's own record of its rider, for its own people
        return reverse(name, kwargs={"journey_slug": world.b.slug, "pk": world.other["rider"].pk})
    in_a = {"journey_slug": world.a.slug}
    if short in ("journey-list", "me", "me-itinerary", "auth-token", "schema", "docs"):
        return reverse(name)
    if short in ("journey-detail", "journey-itinerary"):
        return reverse(name, kwargs={"slug": world.a.slug})
    if short == "export-detail":
        return reverse(name, kwargs={**in_a, "identifier": variant})
    resource, _, kind = short.rpartition("-")
    if kind == "list":
        return reverse(name, kwargs=in_a)
    if short in ("route-order", "route-plan", "route-plan-accept"):
        url = reverse(name, kwargs={**in_a, "pk": world.route.pk})
        return url + ("?time_limit=1" if short == "route-plan" else "")
    if short == "stop-host-sheet":
        return reverse(name, kwargs={**in_a, "pk": world.stops["phoenix"].pk})
    return reverse(name, kwargs={**in_a, "pk": API_OBJECT[resource](world).pk})


# --- Asking ---------------------------------------------------------------------------------


def client_for(world, role: str) -> Client:
    client = Client()
    user = world.users.get(role)
    if user is not None:
        client.force_login(user)
    return client


def roles_of(key: str) -> tuple[str, ...]:
    name = key.partition("[")[0]
    if name == "journey:team_feed_by_token":
        return TEAM_LINK_ROLES
    if name in ("web:my_itinerary", "journey:personal_feed", "journey:personal_pdf"):
        return LINK_ROLES
    return ROLES


def text_of(response) -> str:
    """The response's text, lowercased, without any whitespace (PDF lines, ICS folds)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    else:
        text = content.decode("utf-8", "replace")
    return "".join(text.split()).lower()


def seen_markers(world, response) -> set[str]:
    if response.status_code != 200:
        return set()
    text = text_of(response)
    return {key for key, marker in world.markers.items() if marker and marker.lower() in text}


def ask(world, key: str, method: str, role: str):
    client = client_for(world, role)
    url = url_for(world, key, role)
    if method == "POST":
        return client.post(url, {})
    return client.get(url)


ALL_KEYS_FOR_DUMP = None


def dump_keys(world) -> list[str]:
    keys = []
    for name in sorted(served_urls()):
        if name.startswith("path:"):
            continue
        if name == "web:plan_export_csv":
            keys += ["web:plan_export_csv[rooming]", "web:plan_export_csv[manifest]"]
        elif name == "api:export-detail":
            keys += [f"api:export-detail[{i}]" for i in sorted(exporter_classes())]
        else:
            keys.append(name)
    return keys


@pytest.mark.skipif(not os.environ.get("ACCESS_DUMP"), reason="dump only")
def test_dump(world, db):
    out, full = [], []
    for key in [*dump_keys(world), "api:participant-detail[b]"]:
        for method in ("GET", "POST"):
            statuses, seen = [], {}
            started = time.perf_counter()
            for role in roles_of(key):
                response = ask(world, key, method, role)
                statuses.append(str(response.status_code))
                markers = seen_markers(world, response)
                if markers:
                    seen[role] = sorted(markers)
            spent = time.perf_counter() - started
            out.append(f"{key} {method} {' '.join(statuses)} {spent:.2f} {seen}")
            full.append({"key": key, "method": method, "seen": seen})
    import json

    with open("/tmp/matrix_dump.json", "w") as handle:
        json.dump(full, handle)
    with open("/tmp/matrix_dump.txt", "w") as handle:
        handle.write("\n".join(out))

