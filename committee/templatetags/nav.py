from django import template
from django.urls import reverse

from committee import approvals, inbox, navigation

register = template.Library()


@register.simple_tag
def nav_items(request):
    path = request.path
    out = []
    for item in navigation.items():
        if item.visible is not None and not item.visible(request.user):
            continue
        url = reverse(item.url_name)
        prefix = item.prefix or url
        active = path == url if prefix == "/" else path.startswith(prefix)
        badge = 0
        if item.url_name == "inbox":
            badge = approvals.waiting_for(request.user).count() + len(inbox.tasks_for(request.user))
        out.append({"label": item.label, "url": url, "active": active, "badge": badge})
    return out
