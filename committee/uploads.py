"""Uploaded attachments (CTL-7): one mechanism for every file the apps keep (sick notes, expense receipts,
meeting papers).

* ``check(file)`` — the size limit (policy ``ctl.upload_max_mb``, default 10 MB) and an allow-list of types
  recognised by their content (PDF, JPEG, PNG, Office documents), never by the name or the browser's
  content type: an HTML page renamed ``.pdf`` is refused.
* ``AttachmentField`` (form field) — use it for every attachment of a plain ``forms.Form``.
* ``UploadField`` (model field) — a FileField that checks the file again when the record is saved (every
  save path, not only the forms), stores it under a generated name (``<prefix>/<year>/<uuid>/<name>.<ext>``,
  the extension taken from the detected type, the original name kept as the download name) and writes the
  file's sha256 into the ``<field>_sha256`` field of the record when the model has one.
* ``UploadTo(prefix)`` — the upload_to of those fields (serialisable for migrations).

Files are served by ``committee.files.serve`` only (never from MEDIA_URL).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_MB = 10
HEAD_BYTES = 8192


@dataclass(frozen=True)
class Kind:
    mime: str
    extension: str
    inline: bool  # may be shown in the browser (with this safe type); everything else is a download


# CTL-7: the allow-list, by detected content type.
ALLOWED = {
    "application/pdf": Kind("application/pdf", "pdf", True),
    "image/jpeg": Kind("image/jpeg", "jpg", True),
    "image/png": Kind("image/png", "png", True),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", False),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", False),
    "application/msword": Kind("application/msword", "doc", False),
    "application/vnd.ms-excel": Kind("application/vnd.ms-excel", "xls", False),
    "application/vnd.ms-powerpoint": Kind("application/vnd.ms-powerpoint", "ppt", False),
}


def max_bytes(community=None) -> int:
    """The size limit in bytes: the policy value of the community (or the rule book's default)."""
    if community is not None:
        from committee import policy

        return int(policy.get(community, "ctl.upload_max_mb")) * 1024 * 1024
    return DEFAULT_MAX_MB * 1024 * 1024


def _head(file) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(position)
    return head


def detect(head: bytes) -> Kind | None:
    """The allowed kind of a file from its first bytes, or None (HTML, SVG, scripts, archives, …)."""
    guess = filetype.guess(head)
    if guess is None:
        return None
    return ALLOWED.get(guess.mime)


def check(file, *, community=None) -> Kind:
    """The kind of an uploaded file, or a ValidationError naming CTL-7 (too big, or not an allowed type)."""
    size = getattr(file, "size", None)
    limit = max_bytes(community)
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB (CTL-7)."), code="too_big", params={"mb": limit // (1024 * 1024)})
    kind = detect(_head(file))
    if kind is None:
        raise ValidationError(
            _("Only PDF, JPEG, PNG and Office documents can be uploaded; the content of this file is "
              "something else (CTL-7)."), code="type")
    return kind


def sha256(file) -> str:
    digest = hashlib.sha256()
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(position)
    return digest.hexdigest()


def safe_name(original: str, kind: Kind) -> str:
    """The original name's stem (made safe for a file system) with the extension of the detected type."""
    stem = (original or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = get_valid_filename(stem)[:80] if stem.strip(" ._") else ""
    return f"{stem or 'file'}.{kind.extension}"


def validate_upload(file):
    """A validator for forms and model fields (the rule book's default size)."""
    check(file)


@deconstructible
class UploadTo:
    """``<prefix>/<year>/<uuid>/<safe name>``: generated, never guessable, never the uploader's path."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename):
        name = filename.replace("\\", "/").rsplit("/", 1)[-1]
        return f"{self.prefix}/{timezone.localdate():%Y}/{uuid.uuid4().hex}/{name}"

    def __eq__(self, other):
        return isinstance(other, UploadTo) and other.prefix == self.prefix


class AttachmentField(forms.FileField):
    """The form field of every attachment (CTL-7)."""

    default_validators = [validate_upload]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", _("PDF, JPEG, PNG or an Office document, at most 10 MB."))
        super().__init__(*args, **kwargs)


class CheckedFieldFile(models.fields.files.FieldFile):
    """``record.attachment.save(name, content)`` is checked too: no path stores an unchecked file."""

    def save(self, name, content, save=True):
        kind = check(content)
        checksum_field = f"{self.field.attname}_sha256"
        if hasattr(self.instance, checksum_field):
            setattr(self.instance, checksum_field, sha256(content))
        super().save(safe_name(name, kind), content, save=save)


class UploadField(models.FileField):
    """A FileField that checks, renames and fingerprints every new file before it is stored (CTL-7)."""

    attr_class = CheckedFieldFile

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            # FileField.pre_save stores it through CheckedFieldFile.save: checked, renamed, fingerprinted.
            file.save(file.name, file.file, save=False)
        return super().pre_save(model_instance, add)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AttachmentField, **kwargs})
