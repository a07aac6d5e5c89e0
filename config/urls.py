from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("attendance/", include("attendance.urls")),
    path("meetings/", include("meetings.urls")),
    path("finance/", include("finance.urls")),
    path("seals/", include("seals.urls")),
    path("posts/", include("posts.urls")),
    path("disclosure/", include("disclosure.urls")),
    path("board/", include("disclosure.urls_public")),
    path("welfare/", include("welfare.urls")),
    path("archives/", include("archives.urls")),
    path("visits/", include("visits.urls")),
    path("dibao/", include("dibao.urls")),
    path("street/", include("oversight.urls")),
    path("", include("committee.urls")),
]

# CTL-7: MEDIA_URL is never served, in DEBUG either; uploaded files go through committee.files.serve.
