"""The demo shows the chapter working: posts filled, badges, a holder without a letter, an evaluation in
progress; loading twice adds nothing."""

import pytest
from django.core.management import call_command

from posts.models import Badge, Evaluation, Holding, Mark, Opening

pytestmark = pytest.mark.django_db


def test_demo_loads_posts_in_several_states_idempotently():
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    assert Holding.objects.count() >= 4
    assert Badge.objects.filter(status="issued").count() == Holding.objects.count()
    assert Holding.objects.filter(letter="").exists() and Holding.objects.exclude(letter="").exists()
    assert Opening.objects.filter(status="open").exists() and Opening.objects.filter(status="decided").exists()
    assert Evaluation.objects.filter(status="in_progress").exists() and Mark.objects.exists()
    counts = (Holding.objects.count(), Badge.objects.count(), Mark.objects.count())
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    assert (Holding.objects.count(), Badge.objects.count(), Mark.objects.count()) == counts
