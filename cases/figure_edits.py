"""What happens to a figure when an editor saves it.

Kept apart from the admin so the rules are testable on plain objects:
- a changed value or unit re-computes the normalised value, unless the editor
  typed a normalised value themselves;
- ticking "verified" records who and when, unticking clears both;
- any human change marks the figure as edited (re-ingest keeps it).
"""

from django.utils import timezone

try:  # the figures branch provides the unit table; without it values stay as entered
    from cases.ingest.units import normalize
except ImportError:  # pragma: no cover - depends on which branches are merged
    normalize = None

from .models import Origin

NORMALIZING_FIELDS = {"value", "value_max", "unit"}


def renormalize(figure) -> bool:
    """Set normalized_value(_max) and base_unit from value/unit; False if no unit table."""
    if normalize is None:
        return False
    normalized, base_unit = normalize(figure.value, figure.unit)
    figure.normalized_value = normalized
    figure.base_unit = base_unit or ""
    figure.normalized_value_max = (
        normalize(figure.value_max, figure.unit)[0] if figure.value_max is not None else None
    )
    return True


def apply_editor_changes(figure, changed_fields, user, now=None, *, is_new=False):
    """Apply the bookkeeping for a human edit of ``figure`` (not saved here)."""
    changed = set(changed_fields)
    now = now or timezone.now()
    if is_new:
        figure.origin = Origin.EDITOR
    if (changed & NORMALIZING_FIELDS or is_new) and not changed & {"normalized_value", "base_unit"}:
        renormalize(figure)
    if "verified" in changed or (is_new and figure.verified):
        figure.verified_by = user if figure.verified else None
        figure.verified_at = now if figure.verified else None
    if changed or is_new:
        figure.edited_by = user
    return figure
