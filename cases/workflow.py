"""The review workflow: draft → in review → published / rejected.

Editors edit drafts (and rejected articles) and send them to review; reviewers
(permission ``cases.publish_article``) publish or reject them with a reason.
Nobody publishes their own unreviewed edit: a reviewer who is the article's
last editor is refused. Each transition is one conditional UPDATE on the
version the user saw, so a transition on a stale page is refused instead of
publishing something the reviewer has not read.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Article

Status = Article.Status

#: Statuses in which the article's content may be edited.
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.REJECTED})


class TransitionError(Exception):
    """A transition the user may not make now; the message is shown to them."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    permission: str
    needs_reason: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("send_to_review", _("送审"), frozenset({Status.DRAFT, Status.REJECTED}), Status.IN_REVIEW,
                   "cases.change_article"),
        Transition("publish", _("发布"), frozenset({Status.IN_REVIEW}), Status.PUBLISHED, "cases.publish_article"),
        Transition("reject", _("退回"), frozenset({Status.IN_REVIEW}), Status.REJECTED, "cases.publish_article",
                   needs_reason=True),
        Transition("withdraw", _("撤回为草稿"), frozenset({Status.PUBLISHED}), Status.DRAFT,
                   "cases.publish_article", needs_reason=True),
    ]
}


def is_editable(article) -> bool:
    return article.status in EDITABLE_STATUSES


def check_transition(article, user, name: str, reason: str = "") -> Transition:
    """The transition if ``user`` may make it on ``article`` now, else TransitionError."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionError(_("未知的操作：%s") % name)
    if not user.has_perm(transition.permission):
        raise TransitionError(_("你没有“%s”的权限。") % transition.label)
    if article.status not in transition.sources:
        raise TransitionError(
            _("文章当前状态为“%(status)s”，不能%(action)s。")
            % {"status": article.get_status_display(), "action": transition.label}
        )
    if name == "publish" and article.edited_by_id == user.pk:
        raise TransitionError(
            _("你是这篇文章的最后编辑人，不能发布自己未经他人审核的修改；请另一位审核人发布。")
        )
    if transition.needs_reason and not reason.strip():
        raise TransitionError(_("%s必须填写理由。") % transition.label)
    return transition


def available_transitions(article, user) -> list[Transition]:
    """Transitions the user could make now (a reason may still be asked for)."""
    allowed = []
    for name in TRANSITIONS:
        try:
            allowed.append(check_transition(article, user, name, reason="-"))
        except TransitionError:
            continue
    return allowed


def apply_transition(article, user, name: str, *, seen_version: int, reason: str = "") -> Article:
    """Move ``article`` along the workflow and record it in its history.

    ``seen_version`` is the version the user was looking at; if the article
    changed since, nothing happens and TransitionError explains why.
    """
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if current.version != seen_version:
            raise TransitionError(
                _("二人同时编辑：这篇文章在你打开之后已被他人修改（版本 %(seen)s → %(now)s）。请刷新页面，看过最新内容后再操作。")
                % {"seen": seen_version, "now": current.version}
            )
        transition = check_transition(current, user, name, reason)
        now = timezone.now()
        current.status = transition.target
        if name in ("publish", "reject"):
            current.reviewed_by = user
            current.reviewed_at = now
            current.review_note = reason.strip()
        elif name == "withdraw":
            current.reviewed_by = None
            current.reviewed_at = None
            current.review_note = reason.strip()
        current.version = current.version + 1  # the row is locked
        current._history_user = user
        current._change_reason = f"{transition.label}：{reason.strip()}" if reason.strip() else transition.label
        current.save()
        current.refresh_from_db()
    return current
