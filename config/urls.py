from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("attendance/", include("attendance.urls")),
    path("meetings/", include("meetings.urls")),
    path("finance/", include("finance.urls")),
    path("seals/", include("seals.urls")),
    path("", include("committee.urls")),
]

# CTL-7: MEDIA_URL is never served, in DEBUG either; uploaded files go through committee.files.serve.
