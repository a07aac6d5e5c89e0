from django.contrib import admin

from committee.admin import HistoryAdmin
from disclosure.models import Category, Notice

admin.site.register(Category, HistoryAdmin)
admin.site.register(Notice, HistoryAdmin)
