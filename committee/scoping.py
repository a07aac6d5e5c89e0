"""Scoping: what a user may see. Community staff see their own community; street-office staff see every
community of their street office. Every queryset a view shows passes through ``scope``; an object of
another community is a 404 (never a 403, never its data)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

SESSION_KEY = "current_community"
QUERY_KEY = "community"  # ?community=<id>: the community of one page, from a link (see current_community)


def staff_for(user):
    """The Staff record of a logged-in user (cached on the user object), or None."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_staff_cache"):
        from committee.models import Staff

        user._staff_cache = (
            Staff.objects.select_related("community", "street_office").filter(user_id=user.pk).first()
        )
    return user._staff_cache


def community_ids(user) -> list[int]:
    """Ids of the communities a user may see (cached on the user object)."""
    if not hasattr(user, "_community_ids_cache"):
        from committee.models import Community

        staff = staff_for(user)
        if staff is None:
            ids = []
        elif staff.community_id:
            ids = [staff.community_id]
        else:
            ids = list(Community.objects.filter(street_office_id=staff.street_office_id).values_list("pk", flat=True))
        user._community_ids_cache = ids
    return user._community_ids_cache


def communities(user):
    from committee.models import Community

    return Community.objects.filter(pk__in=community_ids(user)).select_related("street_office")


def community_list(user) -> list:
    """``communities(user)`` as a list, read once per GET request (the page and the layout's switcher)."""
    from committee.middleware import per_request

    def load():
        from committee.models import Community

        staff = staff_for(user)
        if staff is None or staff.community_id or hasattr(user, "_community_ids_cache"):
            return list(communities(user))
        # the street office's communities and their ids in one query (community_ids would read the ids first)
        rows = list(Community.objects.filter(street_office_id=staff.street_office_id).select_related("street_office"))
        user._community_ids_cache = [c.pk for c in rows]
        return rows

    return list(per_request(("scoping.community_list", user.pk), load))


def is_street_staff(user) -> bool:
    staff = staff_for(user)
    return staff is not None and staff.community_id is None


def scope(queryset: QuerySet, user, field: str = "community") -> QuerySet:
    """Limit a queryset to the communities a user may see. ``field`` is the path to the community."""
    return queryset.filter(**{f"{field}__in": community_ids(user)})


def scope_to_current(queryset: QuerySet, request, field: str = "community") -> QuerySet:
    """``scope``, narrowed to the community a street-office user has switched to (if any)."""
    queryset = scope(queryset, request.user, field)
    current = current_community(request)
    if current is not None:
        queryset = queryset.filter(**{field: current})
    return queryset


def get_for_user(model_or_qs, user, field: str = "community", **lookup) -> Model:
    """The object if the user may see it, else 404."""
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    return get_object_or_404(scope(qs, user, field), **lookup)


def current_community(request):
    """The community a page works in: a community staff member's own; for street-office staff the one
    chosen with the switcher, or None (all communities). A link may name the community for one page:
    ``?community=<id>`` on a GET (the street office's overview links each figure to its records that way);
    a community the user may not see is a 404, as everywhere; a value that is not a number is ignored."""
    if hasattr(request, "_current_community"):
        return request._current_community
    staff = staff_for(request.user)
    current = None
    if staff is not None:
        if staff.community_id:
            current = staff.community
        else:
            linked = request.GET.get(QUERY_KEY, "") if request.method in ("GET", "HEAD") else ""
            if linked.isdigit():  # anything else is no choice (the inbox filter's rule for unknown values)
                if int(linked) not in community_ids(request.user):
                    request._current_community = None  # the 404 page's own layout asks again
                    raise Http404
                chosen = linked
            else:
                chosen = request.session.get(SESSION_KEY)
            if chosen and int(chosen) in community_ids(request.user):
                current = communities(request.user).get(pk=chosen)
    request._current_community = current
    return current


def for_community(url: str, community) -> str:
    """``url`` narrowed to one community (``?community=<id>``, read by ``current_community``): e.g. the
    records behind one community's figure on the street office's overview, in the list they come from."""
    if not url:
        return ""
    path, _sep, fragment = url.partition("#")
    path += ("&" if "?" in path else "?") + f"{QUERY_KEY}={community.pk}"
    return path + ("#" + fragment if fragment else "")


def community_for_write(request, posted_id=None):
    """The community a new record belongs to: the user's own, or for street-office staff the current one
    or a posted one they may see. 404 for any other."""
    staff = staff_for(request.user)
    if staff is not None and staff.community_id:
        return staff.community
    target = posted_id or (current_community(request).pk if current_community(request) else None)
    if not target:
        return None
    from committee.models import Community

    try:
        target = int(target)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(Community.objects.filter(pk__in=community_ids(request.user)), pk=target)


# --- access decorators: each view declares what it needs in one place -------------------------------


def staff_required(view):
    """Logged in and linked to a staff record."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if staff_for(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def street_office_required(view):
    """Street-office staff only (supervision pages: policy, calendar, comparisons)."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_street_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def roles_required(*roles, street_office=True):
    """Staff holding one of ``roles`` today (in any community they may see); street-office staff pass
    too when ``street_office`` is true (they supervise)."""

    def decorator(view):
        @staff_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not passes_roles(request.user, roles, street_office=street_office):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def passes_roles(user, roles, *, street_office=True) -> bool:
    """What ``roles_required`` lets through (for pages that show a link only to those who may follow it)."""
    return (street_office and is_street_staff(user)) or has_any_role(user, roles)


def roles_on(staff, day) -> list[tuple[str, int | None]]:
    """(role, community id) of every role ``staff`` holds on ``day`` (None: a street role). One query, made
    once per GET request (the nav, the inbox and the page's own checks ask the same); during a GET, from the
    roles committee.auth read with the session's user (no query)."""
    from committee.middleware import per_request
    from committee.models import RoleAssignment

    def load():
        preloaded = preloaded_assignments(staff)
        if preloaded is not None:
            return [(ra.role, ra.community_id) for ra in preloaded if ra.in_force(day)]
        return list(RoleAssignment.objects.on(day).filter(staff=staff).values_list("role", "community_id"))

    return list(per_request(("scoping.roles_on", staff.pk, day), load))


def preloaded_assignments(staff) -> list | None:
    """Every RoleAssignment of ``staff`` (past and future too, each with ``.staff``) as committee.auth read them
    with the session's user, during a GET (nothing changes them before the page is answered); None elsewhere
    (a POST, a script): read them yourself."""
    from committee.middleware import reading_request

    preloaded = getattr(staff, "_all_roles", None)
    return preloaded if preloaded is not None and reading_request() else None


def has_any_role(user, roles) -> bool:
    from django.utils import timezone

    staff = staff_for(user)
    if staff is None:
        return False
    wanted = set(roles)
    return any(role in wanted for role, _community in roles_on(staff, timezone.localdate()))


def choose_community_page(request, title):
    """The page a street-office user sees when a page needs one community and "all communities" is
    chosen: a button per community switches to it and comes back."""
    from django.shortcuts import render

    return render(request, "committee/choose_community.html", {"title": title, "communities": communities(request.user)})


def one_community(request, title):
    """(community, None) for the page's community, or (None, the chooser page) for a street-office user who
    has not chosen one."""
    community = current_community(request)
    if community is None:
        return None, choose_community_page(request, title)
    return community, None
