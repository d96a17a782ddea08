"""Hosts get needs as counts by category: never a name, never a person's own words."""

import pytest

from journey.counts import need_categories, need_counts

OTHER = "other (the coordinators have the details)"


@pytest.mark.parametrize(
    ("text", "kind", "categories"),
    [
        ("Vegetarian", "dietary", ["vegetarian"]),
        ("vegana estricta", "dietary", ["vegan"]),
        ("Halal, and a peanut allergy", "dietary", ["halal", "nut allergy"]),
        ("nuts", "dietary", ["nut allergy"]),
        ("nutmeg lover", "dietary", [OTHER]),
        ("Diabetic: regular meals, no sugary drinks", "dietary", ["diabetic"]),
        ("No stairs (knee surgery last year)", "accessibility", ["no stairs"]),
        ("Sin escaléras", "accessibility", ["no stairs"]),
        ("Wheelchair user (manual chair that folds)", "accessibility", ["wheelchair"]),
        (
            "asthma, carries an inhaler",
            "accessibility",
            [OTHER],
        ),
        ("  ", "dietary", []),
    ],
)
def test_a_need_falls_in_categories(text, kind, categories):
    assert [str(c) for c in need_categories(text, kind)] == categories


def test_counts_never_hold_anyones_own_words():
    needs = [
        "No stairs (knee surgery last year)",
        "no stairs please",
        "Wheelchair user (manual chair that folds)",
        "carries an inhaler for asthma",
        "",
    ]

    counts = need_counts(needs, "accessibility")

    assert [(c.need, c.count) for c in counts] == [
        ("no stairs", 2),
        ("wheelchair", 1),
        (OTHER, 1),
    ]
    shown = " ".join(c.need for c in counts)
    assert [word in shown for word in ("knee", "surgery", "manual", "inhaler", "asthma")] == [
        False
    ] * 5


def test_counts_are_in_the_readers_language():
    from django.utils import translation

    with translation.override("es"):
        counts = need_counts(["Vegetarian", "vegetariano"], "dietary")

    assert [(c.need, c.count) for c in counts] == [("vegetariano", 2)]
