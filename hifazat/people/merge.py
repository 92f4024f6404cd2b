"""Decisions on suspected duplicates: dismissing a pair, merging two records of one person (and undoing it). The
scan that raises pairs and the queue are in ``review_queue``, their reads in ``selectors``.

A merge keeps every linked record: it finds every relation that points at ``Person`` from ``Person._meta`` (so
the links that later parts add are moved too), moves each row from the removed person to the kept one, and
lists each moved row (model, field, primary key) in a ``PersonMerge``, from which ``person_unmerge`` moves them
back. The removed person stays in the database, inactive, with ``merged_into`` set.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from hifazat.core.access import require
from hifazat.core.audit import Actor, audit
from hifazat.core.models import AuditEntry
from hifazat.core.versioning import VersionedModel
from hifazat.people.duplicates import refresh_match_keys
from hifazat.people.models import DuplicateSuspicion, Person, PersonMatchKey, PersonMerge
from hifazat.people.selectors import persons_visible_to

A = AuditEntry.Action
# Rows about matching itself: derived (the keys, rewritten after a merge), or the records of the review and the
# merge, which must keep pointing at both people.
NOT_MOVED = (PersonMatchKey, DuplicateSuspicion, PersonMerge)


# --- Decisions on the review queue -------------------------------------------------------------------------


def _suspicion_of(keep: Person, remove: Person) -> DuplicateSuspicion | None:
    a, b = sorted((keep.pk, remove.pk))
    return DuplicateSuspicion.objects.filter(person_a_id=a, person_b_id=b).first()


def _decide(suspicion: DuplicateSuspicion | None, actor: Actor, status: str) -> None:
    if suspicion is None:
        return
    suspicion.status, suspicion.decided_by, suspicion.decided_at = status, actor.user, timezone.now()
    suspicion.modified_by = actor.user
    suspicion.full_clean()
    suspicion.save()


@transaction.atomic
def suspicion_dismiss(*, actor: Actor, suspicion: DuplicateSuspicion) -> DuplicateSuspicion:
    """Record that the two people of ``suspicion`` are not the same person: the pair is not raised again."""
    require(actor, "people.merge")
    if suspicion.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this suspicion belongs to another organisation")
    _decide(suspicion, actor, DuplicateSuspicion.Status.DISMISSED)
    audit(actor, A.UPDATE, suspicion, status=suspicion.status)
    return suspicion


# --- Merge and unmerge ----------------------------------------------------------------------------------------


def person_links() -> list[tuple[type[models.Model], str]]:
    """Every (model, foreign key field) that points at ``Person``, found from ``Person._meta``: reverse foreign
    keys and one-to-one fields of every installed part, including hidden ones (``related_name="+"``, such as
    ``Household.head`` and ``Person.caregiver``, which ``_meta.related_objects`` leaves out) and the rows of
    many-to-many tables. Generic foreign keys (content types) are not found."""
    links: dict[tuple[str, str], tuple[type[models.Model], str]] = {}
    for relation in Person._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete or relation.many_to_many:
            continue  # forward fields; many-to-many: the rows of its table are found through their own FK
        model = relation.related_model
        if issubclass(model, NOT_MOVED):
            continue
        links[(model._meta.label_lower, relation.field.name)] = (model, relation.field.name)
    return [links[name] for name in sorted(links)]


def _move(rows: list[dict], source: Person, target: Person) -> tuple[list[dict], list[dict]]:
    """Point each listed row's field from ``source`` to ``target``, one savepoint each: a row the target
    already has the same of (a unique constraint) stays where it is. Returns (moved, not moved)."""
    moved, stayed = [], []
    for row in rows:
        model = apps.get_model(row["model"])
        # A versioned row (a household whose head, a person whose caregiver moves) counts as changed: an edit
        # started before the merge is refused rather than taken as made on the row as it is now.
        bump = {"version": F("version") + 1} if issubclass(model, VersionedModel) else {}
        try:
            with transaction.atomic():
                count = model._base_manager.filter(pk=row["pk"], **{row["field"]: source}).update(
                    **{row["field"]: target}, **bump
                )
        except IntegrityError:
            stayed.append({**row, "why": "the other person already has the same"})
            continue
        if count:
            moved.append(row)
        else:
            stayed.append({**row, "why": "no longer linked"})
    return moved, stayed


def _linked_rows(person: Person, *, skip_pk_of: Person) -> tuple[list[dict], list[dict]]:
    rows, skipped = [], []
    for model, field in person_links():
        for pk in model._base_manager.filter(**{field: person}).order_by("pk").values_list("pk", flat=True):
            row = {
                "model": model._meta.label_lower,
                "field": field,
                "pk": pk if isinstance(pk, int) else str(pk),
            }
            if model is Person and pk == skip_pk_of.pk:
                skipped.append({**row, "why": "the kept person's own link to the removed person"})
            else:
                rows.append(row)
    return rows, skipped


def _counts(rows: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    return counts


@transaction.atomic
def person_merge(*, actor: Actor, keep: Person, remove: Person, reason: str) -> PersonMerge:
    """Merge ``remove`` into ``keep``: every record linked to ``remove`` (vulnerability groups, consents, the
    households it heads, the children it cares for, screenings, cases…) is moved to ``keep``; ``remove`` is
    marked merged and inactive. The ``PersonMerge`` returned lists what moved, for ``person_unmerge``."""
    require(actor, "people.merge")
    visible = persons_visible_to(actor)
    keep = visible.filter(pk=keep.pk).first()
    remove = visible.filter(pk=remove.pk).first()
    if keep is None or remove is None:
        raise PermissionDenied("both people must be active records of the actor's organisation")
    if keep.pk == remove.pk:
        raise ValidationError("A person cannot be merged into themselves.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why these are the same person."})
    rows, skipped = _linked_rows(remove, skip_pk_of=keep)
    moved, stayed = _move(rows, remove, keep)
    remove.merged_into, remove.is_active, remove.modified_by = keep, False, actor.user
    remove.save(update_fields=["merged_into", "is_active", "modified_by", "modified_at"])
    merge = PersonMerge(
        organisation=actor.organisation,
        kept=keep,
        removed=remove,
        reason=reason,
        moved=moved,
        left=skipped + stayed,
        created_by=actor.user,
        modified_by=actor.user,
    )
    merge.full_clean()
    merge.save()
    refresh_match_keys(remove)
    refresh_match_keys(keep)
    _decide(_suspicion_of(keep, remove), actor, DuplicateSuspicion.Status.MERGED)
    audit(
        actor,
        A.UPDATE,
        keep,
        merged=str(remove.uuid),
        merge=str(merge.uuid),
        moved=_counts(moved),
        not_moved=len(merge.left),
    )
    return merge


@transaction.atomic
def person_unmerge(*, actor: Actor, merge: PersonMerge, reason: str) -> PersonMerge:
    """Undo ``merge``: move back every row it moved that still points at the kept person, and make the removed
    person active again. Refused while the kept person is itself merged into someone else (undo that first)."""
    require(actor, "people.merge")
    merge = PersonMerge.objects.select_related("kept", "removed").get(pk=merge.pk)
    if merge.organisation_id != actor.organisation.pk:
        raise PermissionDenied("this merge belongs to another organisation")
    keep, remove = merge.kept, merge.removed
    if merge.undone_at is not None:
        raise ValidationError("This merge has already been undone.")
    if keep.merged_into_id is not None or remove.merged_into_id != keep.pk:
        raise ValidationError("The kept person has been merged since: undo that merge first.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the merge is undone."})
    moved_back, stayed = _move(merge.moved, keep, remove)
    remove.merged_into, remove.is_active, remove.modified_by = None, True, actor.user
    remove.save(update_fields=["merged_into", "is_active", "modified_by", "modified_at"])
    merge.undone_at, merge.undone_by, merge.undo_reason = timezone.now(), actor.user, reason
    merge.left = [*merge.left, *({**row, "undo": True} for row in stayed)]
    merge.modified_by = actor.user
    merge.full_clean()
    merge.save()
    refresh_match_keys(remove)
    refresh_match_keys(keep)
    _decide(_suspicion_of(keep, remove), actor, DuplicateSuspicion.Status.DISMISSED)
    audit(
        actor,
        A.UPDATE,
        keep,
        unmerged=str(remove.uuid),
        merge=str(merge.uuid),
        moved_back=_counts(moved_back),
        not_moved_back=len(stayed),
    )
    return merge
