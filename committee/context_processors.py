from committee import scoping


def office(request):
    """The acting staff member, their communities and the current one, for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    staff = scoping.staff_for(user)
    street = scoping.is_street_staff(user)
    return {
        "me": staff,
        "is_street_staff": street,
        "current_community": scoping.current_community(request),
        "switchable_communities": scoping.community_list(user) if street else [],
    }
