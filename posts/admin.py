from django.contrib import admin

from committee.admin import HistoryAdmin  # CTL-5: read-only, nothing deleted
from posts.models import (
    Badge,
    Complaint,
    Evaluation,
    Holding,
    Inspection,
    ItemWeight,
    Mark,
    Nomination,
    Opening,
    Post,
    Review,
    Training,
)

for _model in (Post, Opening, Nomination, Holding, Training, Review, Badge, Inspection, Complaint, ItemWeight,
               Evaluation, Mark):
    admin.site.register(_model, HistoryAdmin)
