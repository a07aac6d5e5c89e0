from django import template
from django.urls import reverse

from committee import approvals, digest, inbox, navigation

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
            # both counted once per request, shared with the page (committee.middleware.per_request)
            badge = approvals.waiting_count(request.user) + len(inbox.tasks_for(request.user))
        elif item.url_name == "notification_list":
            badge = digest.unread_count(request.user)
        out.append({"label": item.label, "url": url, "active": active, "badge": badge})
    return out
