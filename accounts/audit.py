"""The audit log of personal data leaving the system (exports, PDF downloads, anonymisations).

Call :func:`record` from every view that hands out a file with personal data::

    from accounts import audit
    audit.record(request, audit.EXPORT, "thành viên CLB 02-001, 48 dòng")
"""

from .models import AuditEvent

EXPORT = AuditEvent.Action.EXPORT
PDF = AuditEvent.Action.PDF
ANONYMISE = AuditEvent.Action.ANONYMISE
OTHER = AuditEvent.Action.OTHER


def record(request, action: str, detail: str = "", *, user=None) -> AuditEvent:
    """Record that the signed-in user of ``request`` (or ``user``, for commands without a
    request) did ``action`` (one of ``EXPORT``, ``PDF``, ``ANONYMISE``, ``OTHER``) on
    ``detail`` (at most 500 characters; what was taken, never a national ID).

    Returns the saved :class:`~accounts.models.AuditEvent`. Raises ``ValueError`` for an
    unknown action.
    """
    if action not in AuditEvent.Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        detail=detail[:500],
    )
