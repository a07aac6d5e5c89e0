"""Fixtures of the archives chapter: the archivist of community A, files as uploads, a cabinet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archives import services
from archives.models import Category
from committee.models import Role
from tests import factories as f


def text_pdf(text: str = "Hello archive") -> bytes:
    """A small valid PDF with a line of text (Helvetica), built by hand: no rendering needed."""
    from archives.demo import simple_pdf

    return simple_pdf(text)


def upload(name="doc.pdf", content=None, content_type="application/pdf"):
    return SimpleUploadedFile(name, content if content is not None else text_pdf(), content_type=content_type)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def archivist_a(community_a):
    services.ensure_categories()  # a database flushed by an earlier browser test has lost the migration's rows
    return f.staff(community_a, "甲档案员", [Role.ARCHIVIST])


@pytest.fixture
def category():
    return Category.objects.get(key="reports")


@pytest.fixture
def cabinet_a(community_a, archivist_a):
    return services.save_cabinet(community=community_a, name="1号柜", place="档案室", fire="灭火器", light="窗帘",
                                 damp="除湿机", theft="铁柜加锁", acting_user=archivist_a.user)


def file_one(community, archivist, *, year=None, title="2025年工作总结", upload_file=None, **kwargs):
    from django.utils import timezone

    today = timezone.localdate()
    return services.file_item(community=community, year=year or today.year, category=kwargs.pop(
        "category", None) or Category.objects.get(key="reports"), title=title,
        date=kwargs.pop("date", dt.date(year or today.year, 1, 1)), responsible="居委会", upload=upload_file,
        acting_user=archivist.user, **kwargs)
