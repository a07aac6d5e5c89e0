from django import template
from django.urls import reverse

from committee import inbox, navigation

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
            # both badges in one query, once per request (committee.inbox.badge_counts)
            badge = inbox.badge_counts(request.user)["inbox"]
        elif item.url_name == "notification_list":
            badge = inbox.badge_counts(request.user)["notifications"]
        out.append({"label": item.label, "url": url, "active": active, "badge": badge})
    return out
