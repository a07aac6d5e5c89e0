"""Uploaded files are served through views that check who may see them, never straight from MEDIA_URL
(a sick note is medical data; a production web server would otherwise serve it to anyone with the link)."""

from django.http import FileResponse, Http404


def serve(field_file, *, download: bool = False) -> FileResponse:
    """The file of a FileField as a response, or 404 when there is none or it is missing on disk."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=download, filename=field_file.name.rsplit("/", 1)[-1])
