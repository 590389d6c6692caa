"""Writes need a token; reads follow the visibility rule in the querysets."""

from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissionsOrAnonReadOnly


class TokenRequiredForWrites(BasePermission):
    """Unsafe methods only with ``Authorization: Token <key>`` (no session/CSRF writes from scripts)."""

    message = "写操作需要令牌认证：Authorization: Token <key> (writes need token authentication)"

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return isinstance(request.successful_authenticator, TokenAuthentication)


DEFAULT_PERMISSIONS = [TokenRequiredForWrites, DjangoModelPermissionsOrAnonReadOnly]
