"""Optimistic concurrency: an edit based on a version that is no longer current is refused.

A model with a ``version`` field counts its saves (``Stop.save`` adds one). Each form and the
API send back the version they were showing; ``check_version`` compares it with the row's
current version while holding a lock on the row (``SELECT … FOR UPDATE``, inside the
transaction of the save), so of two people editing the same stop the second save is refused
with a message saying who changed it and when, instead of silently undoing the first.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from journey.formatting import format_local


class StaleEdit(ValidationError):
    pass


def _stale_message(instance) -> str:
    latest = (
        instance.history.filter(id=instance.pk)
        .select_related("history_user")
        .order_by("-history_date")
        .first()
        if hasattr(instance, "history")
        else None
    )
    tz = getattr(instance, "tzinfo", None) or timezone.get_current_timezone()
    if latest is not None and latest.history_user is not None:
        who = latest.history_user.get_full_name() or latest.history_user.get_username()
        return _(
            "%(who)s changed this %(what)s at %(when)s, while you were editing it. Your "
            "changes were not saved: reload to see theirs, then make yours again."
        ) % {
            "who": who,
            "what": instance._meta.verbose_name,
            "when": format_local(latest.history_date, tz),
        }
    return _(
        "Someone else changed this %(what)s while you were editing it. Your changes were not "
        "saved: reload to see theirs, then make yours again."
    ) % {"what": instance._meta.verbose_name}


def check_version(instance, submitted) -> None:
    """Raise StaleEdit unless ``submitted`` is the row's current version (locks the row:
    call it inside the transaction that saves)."""
    if instance.pk is None:
        return
    current = (
        type(instance)
        .objects.select_for_update()
        .filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is None:
        return  # deleted meanwhile: saving will say so or create it again
    try:
        submitted = int(submitted)
    except (TypeError, ValueError):
        submitted = None
    if submitted != current:
        raise StaleEdit(_stale_message(instance), code="stale")


class VersionedForm(forms.Form):
    """Mixin for model forms of versioned models: carries the version shown in the form and
    refuses the save when the row changed meanwhile. The view must save inside
    ``transaction.atomic`` (the admin does) so the row stays locked until then."""

    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["based_on_version"] = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        try:
            check_version(self.instance, cleaned_data.get("based_on_version"))
        except StaleEdit as error:
            self.add_error(None, error)
        return cleaned_data
