"""Login throttling by client address on top of django-axes' per user name lock: one address trying many user
names (password spraying) is refused for the cool-off time after LOGIN_ADDRESS_FAILURE_LIMIT failures."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_client_ip_address, get_cool_off, toggleable
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def address_failures(ip_address: str) -> int:
    """Failed logins from the address within the cool-off time, whatever the user names (axes' table, which every
    web process writes)."""
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_locked(request) -> bool:
    ip_address = get_client_ip_address(request)
    return bool(ip_address) and address_failures(ip_address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


class AddressThrottledAxesBackend(AxesStandaloneBackend):
    """Axes' check of the user name and address first, then the check of the address alone. A locked request is
    answered by axes' middleware with the lock-out page, which says which of the two locks applies."""

    @toggleable
    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username=username, password=password, **kwargs)
        if address_locked(request):
            request.axes_locked_out = True
            request.login_address_locked = True
            raise AxesBackendPermissionDenied("Too many failed logins from this address")
