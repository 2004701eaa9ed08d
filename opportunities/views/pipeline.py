"""The kanban pipeline and the sales pipeline analytics (being written)."""

from django.http import HttpResponse


def kanban(request):
    return HttpResponse("The pipeline is being built.")


def kanban_column(request, stage: int):
    return HttpResponse("")


def analytics(request):
    return HttpResponse("The analytics are being built.")
