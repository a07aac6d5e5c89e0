"""我的提醒: the in-app list of the daily digest (committee.digest). Everyone on staff sees only their own
notifications; another person's notification is a 404."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from committee.models import Notification
from committee.scoping import staff_required

PAGE_SIZE = 50


def _mine(request):
    return Notification.objects.filter(recipient=request.user)


@staff_required
def notification_list(request):
    """Everyone on staff: their own notifications, newest first, unread ones in bold."""
    qs = _mine(request).select_related("community")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "committee/notifications.html", {"page": page, "rows": page.object_list})


def _back(request):
    page = request.POST.get("page", "")
    url = reverse("notification_list")
    return HttpResponseRedirect(f"{url}?page={page}" if page.isdigit() else url)


@require_POST
@staff_required
def notification_read(request, pk):
    """Everyone on staff, for their own notification: mark it read."""
    notification = get_object_or_404(_mine(request), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return _back(request)


@require_POST
@staff_required
def notifications_read_all(request):
    """Everyone on staff: mark all their unread notifications read."""
    now = timezone.now()
    for notification in _mine(request).filter(read_at__isnull=True):  # one by one, so the history has it
        notification.read_at = now
        notification.save(update_fields=["read_at"])
    return _back(request)
