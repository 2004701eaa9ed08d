"""What every access screen shares: the manage_users gate (404 for the others) and running a service."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect

from crm import access

SCREENS = (
    ("access:users", "Users"),
    ("access:roles", "Roles"),
    ("access:object_rights", "Object rights"),
    ("access:operation_rights", "Operation rights"),
    ("access:record_rights", "Record rights"),
    ("access:column_rights", "Column rights"),
    ("access:delegations", "Delegations"),
    ("access:audit", "Audit log"),
)


def manage_users_required(view):
    """The screens answer 404 to whoever may not manage users and roles, as if they did not exist."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.can(request.user, "manage_users"):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def run(request, service, *, success: str, back: str, back_on_error: str = "", **kwargs):
    """Call `service(user=request.user, **kwargs)`; say what happened and go back."""
    try:
        service(user=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
        return redirect(back)
    return redirect(back_on_error or back)


def form_errors(request, form) -> None:
    """Say what was wrong with a posted form (the screens redirect back rather than re-render)."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label or name.replace("_", " ")).capitalize() if field else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def submit(request, form_class, service, *, success, back: str):
    """A screen's form posted: refuse it with its errors, or call the service with its cleaned data (the form's
    fields are the service's arguments). `success` is the message, or a function of the cleaned data."""
    form = form_class(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    data = form.cleaned_data
    message = success(data) if callable(success) else success
    return run(request, service, success=message, back=back, **data)
