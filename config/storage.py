"""Where PDFs and uploads are kept: Django's STORAGES, from the environment.

With S3_BUCKET set, in an S3-compatible object store that every web server and worker reads
(django-storages' S3 backend: AWS, or any store at S3_ENDPOINT_URL), so a PDF one machine
rendered downloads from any other; otherwise on this machine's disk under MEDIA_ROOT (the
embedded default and the test suite). The objects stay private: downloads stream through the
API (commissioning.storage), never from a public or signed address of the store."""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

ADDRESSING_STYLES = ("auto", "path", "virtual")
STATIC_FILES = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def _value(environ: Mapping[str, str], name: str) -> str | None:
    return environ.get(name, "").strip() or None


def media_storage(environ: Mapping[str, str]) -> dict:
    """The default storage's entry of STORAGES for this environment."""
    bucket = _value(environ, "S3_BUCKET")
    if bucket is None:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    addressing_style = _value(environ, "S3_ADDRESSING_STYLE") or "auto"
    if addressing_style not in ADDRESSING_STYLES:
        raise ImproperlyConfigured(
            f"S3_ADDRESSING_STYLE must be auto, path or virtual, not {addressing_style!r}."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # Unset: AWS itself; set: any S3-compatible store (MinIO, Ceph, Garage, a cloud's).
            "endpoint_url": _value(environ, "S3_ENDPOINT_URL"),
            "region_name": _value(environ, "S3_REGION"),
            # Unset: boto3's own chain (AWS_ACCESS_KEY_ID and the rest, an instance's role).
            "access_key": _value(environ, "S3_ACCESS_KEY_ID"),
            "secret_key": _value(environ, "S3_SECRET_ACCESS_KEY"),
            "addressing_style": addressing_style,
            "signature_version": "s3v4",
            # A folder inside the bucket, so that one bucket can hold several installations.
            "location": (_value(environ, "S3_PREFIX") or "").strip("/"),
            "default_acl": None,  # the bucket's own: private
            "custom_domain": None,
            # As on disk: a second upload of the same name gets a name of its own.
            "file_overwrite": False,
        },
    }


def storages(environ: Mapping[str, str]) -> dict:
    return {"default": media_storage(environ), "staticfiles": STATIC_FILES}
