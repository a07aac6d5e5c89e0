"""The seal demo: each community has its committee seal with a custodian, a verifiable certificate and a
certificate waiting for the director."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from seals import services
from seals.models import Certificate, Seal


@pytest.mark.django_db
def test_demo_seals_certificates_and_idempotence():
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    call_command("load_demo", "--allow-production", stdout=open("/dev/null", "w"))
    seals = Seal.objects.filter(kind=Seal.Kind.COMMITTEE)
    assert seals.count() == 3 and all(s.custodian_id for s in seals)
    issued = Certificate.objects.filter(status=Certificate.Status.ISSUED)
    assert issued.count() == 3 and all(services.verify(c.code)["state"] == "valid" for c in issued)
    assert Certificate.objects.filter(status=Certificate.Status.PENDING).exists()
    # the README's demo verification page: /seals/v/DEMX-HPCE-RT23/
    assert services.verify("DEMX-HPCE-RT23")["state"] == "valid"
