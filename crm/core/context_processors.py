"""What the shell (base.html) needs on every page: navigation and the unread notifications count."""

from crm import access
from crm.sections import registry

from .models import Notification


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    navigation = [s for s in registry.all_sections() if access.can(user, "read", s)]
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"navigation": navigation, "unread_notifications": unread}
