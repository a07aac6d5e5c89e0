"""Uploaded files are served through views that check who may see them, never straight from MEDIA_URL
(a sick note is medical data; a production web server would otherwise serve it to anyone with the link).

CTL-7: every uploaded file is a download (Content-Disposition: attachment), never rendered in the product's
origin. The type is taken from the file's content, not its name: PDF, JPEG and PNG keep their type (the
browser's viewer opens the downloaded copy); everything else (Office documents, and any legacy file stored
before the upload checks, e.g. an HTML page) is application/octet-stream. Every file response
carries ``X-Content-Type-Options: nosniff`` and a sandboxing Content-Security-Policy, so even a file that
a browser renders cannot run script in the product's origin."""

from django.http import FileResponse, Http404

from committee import uploads

FILE_CSP = "sandbox; default-src 'none'"


def serve(field_file) -> FileResponse:
    """The file of a FileField as a response, or 404 when there is none or it is missing on disk."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = uploads.detect(handle.read(uploads.HEAD_BYTES))
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=field_file.name.rsplit("/", 1)[-1],
                            content_type=kind.mime if kind else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP  # CTL-7
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
