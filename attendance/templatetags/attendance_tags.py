"""The day's attendance work where staff land: a big sign-in / sign-out button and request-leave shortcuts
for the dashboard (issue 9: the daily tasks take one or two taps). ``{% load attendance_tags %}{% sign_card %}``"""

from django import template
from django.urls import reverse
from django.utils import timezone

from attendance import services
from attendance.models import SignIn
from committee import calendar, policy, scoping

register = template.Library()


@register.inclusion_tag("attendance/_sign_card.html", takes_context=True)
def sign_card(context, next_url=None):
    """Community staff: today's state (signed in at 08:52 / signed out) and the one button for what comes
    next; an early sign-out asks first (ATT-1). Nothing for street-office staff. Two queries."""
    request = context.get("request")
    me = scoping.staff_for(getattr(request, "user", None)) if request else None
    if me is None or me.community_id is None:
        return {"show": False}
    now = timezone.localtime()
    today = now.date()
    record = SignIn.objects.filter(staff=me, date=today).only("sign_in", "sign_out").first()
    early_before = policy.get(me.community, "att.early_before")
    working = calendar.is_working_day(today)
    return {
        "show": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),  # an inclusion tag starts a new context: the forms need it
        "record": record,
        "working": working,
        "today": today,
        "early_before": early_before,
        # ATT-1: signing out before the end of the working day is leaving early: ask first
        "early": working and services.leaving_early_now(me.community, now),
        "next": next_url or request.get_full_path(),
        "leave_url": reverse("attendance_leave_new"),
    }
