"""Edits that two people make at once: only changed fields are written, and a stale edit is refused, not lost.

A model that people edit concurrently (a case, a referral, a tracing request, a report, an enrolment) derives from
``VersionedModel``. Its ``save`` on an existing row

- must name the fields that changed (``save(update_fields=[...])``): a whole-row save, which would write back
  every other field as it was when the row was loaded, is refused with a ``TypeError``, so it cannot creep back;
- claims the row with a compare-and-swap on ``version`` (``UPDATE ... SET version = version + 1 WHERE id = ...
  AND version = <the version this object was loaded with>``). If someone saved the row in between, nothing is
  written and ``EditConflict`` is raised. The claim also holds PostgreSQL's row lock until the transaction ends.

Forms and API requests carry the version the editor saw; services compare it with ``check_version`` before they
change anything, so an edit made on a page that was loaded before someone else's change is refused too, with a
message saying what to do. ``EditConflict`` is a ``ValidationError``: pages show it like any other refusal, and the
API answers it with 409 Conflict (``api.exceptions``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from hifazat.core.models import BaseModel

CONFLICT_MESSAGE = _(
    "Someone else changed this record while you were working on it, so your change was not saved. "
    "Reload the page to see the record as it is now, then make your change again."
)


class EditConflict(ValidationError):
    """The record changed since the editor loaded it; nothing was written."""

    def __init__(self, record: models.Model | None = None) -> None:
        super().__init__(CONFLICT_MESSAGE, code="conflict")
        self.record = record


class VersionedModel(BaseModel):
    """A base model whose updates write only the named fields and refuse a stale write (see the module)."""

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by one at every save; an edit names the version it started from.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self._state.adding or self.pk is None:
            super().save(*args, **kwargs)
            return
        update_fields = kwargs.pop("update_fields", None)
        if update_fields is None:
            raise TypeError(
                f"{type(self).__name__} is versioned: save it with update_fields naming the fields that changed"
            )
        fields = set(update_fields) - {"version"}
        if any(field.name == "modified_at" for field in self._meta.concrete_fields):
            fields.add("modified_at")  # auto_now is written only when named
        seen = self.version
        with transaction.atomic(using=kwargs.get("using")):
            claimed = type(self)._base_manager.filter(pk=self.pk, version=seen).update(version=seen + 1)
            if claimed != 1:
                raise EditConflict(self)
            self.version = seen + 1
            try:
                super().save(*args, update_fields=sorted(fields), **kwargs)
            except BaseException:
                self.version = seen
                raise


def check_version(record: VersionedModel, seen: int | None) -> None:
    """Refuse an edit that started from an older version than the record now has. ``seen`` is the version the
    form or API request carried; ``None`` (a caller that showed no form, such as a background task) skips the
    comparison, and the save's compare-and-swap still refuses a write that races another."""
    if seen is not None and int(seen) != record.version:
        raise EditConflict(record)


def changed_fields(record: models.Model, values: dict, *, always: Iterable[str] = ()) -> list[str]:
    """Set ``values`` on ``record`` and return the names of the fields whose value really changed (plus
    ``always``), ready for ``save(update_fields=...)``. Fields set to their current value are not written, so an
    edit of one field never writes back another that someone else changed meanwhile."""
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, values[name])
    return [*changed, *always]


class VersionField(forms.IntegerField):
    """The hidden form field that carries the version the editor saw. Forms that edit a versioned record
    declare ``version = VersionField()`` and give it ``initial=record.version``."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)
