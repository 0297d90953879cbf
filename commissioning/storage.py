"""Stored files (PDFs, evidence documents) answered as downloads, read from whichever storage
holds them (settings.STORAGES: this machine's disk, or an S3-compatible object store that
every machine reads) and streamed as they are read, never read whole into memory."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse


def stored_file_response(
    stored: FieldFile, *, filename: str, content_type: str, checksum: str = ""
) -> FileResponse:
    """The file as an attachment: its Content-Type, Content-Disposition and Content-Length,
    and an ETag (the SHA-256 `checksum` when the row keeps one, else the object store's)."""
    handle = stored.storage.open(stored.name, "rb")
    size = handle.size
    etag = f'"{checksum}"' if checksum else ""
    # An object store's file (django-storages' S3File) would download the whole object
    # before the first byte is sent; its object's body is read chunk by chunk instead.
    stored_object = getattr(handle, "obj", None)
    if stored_object is not None:
        answer = stored_object.get()
        handle.close()
        handle, size = answer["Body"], answer["ContentLength"]
        etag = etag or answer.get("ETag", "")
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Content-Length"] = str(size)
    if etag:
        response["ETag"] = etag
    return response
