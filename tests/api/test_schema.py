"""The OpenAPI schema: served, browsable, and every operation says who may call it."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture(scope="module")
def document():
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_says_who_may_call_it(document):
    missing = [
        name
        for name, operation in operations(document)
        if "**Who may call this:**" not in operation.get("description", "")
    ]

    assert missing == []


def test_every_operation_documents_its_refusals(document):
    undocumented = [
        name
        for name, operation in operations(document)
        if not {"401", "403"} <= set(operation["responses"])
    ]

    assert undocumented == []


def test_writes_document_their_validation_errors(document):
    undocumented = [
        name
        for name, operation in operations(document)
        if name.split()[0] in ("POST", "PUT", "PATCH") and "400" not in operation["responses"]
    ]

    assert undocumented == []


def test_the_swagger_ui_is_served_without_a_cdn():
    response = APIClient().get("/api/docs/")

    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in (
        response.content
    )
