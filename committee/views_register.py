from django.shortcuts import render

from committee import scoping
from committee.models import Person
from committee.scoping import staff_required


@staff_required
def person_list(request):
    """Staff: residents of their community."""
    people = scoping.scope_to_current(Person.objects.select_related("household__building", "community"), request)
    return render(request, "committee/register/person_list.html", {"people": people[:200]})
