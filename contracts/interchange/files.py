"""An uploaded file to a parsed document: which reader by the file's name and content, and
the refusals (a kind of file not read here, too big, unreadable, no clause in it), each
saying what to fix."""

import io
import zipfile

from django.utils.translation import gettext_lazy as _

from commissioning.errors import RuleViolation
from contracts.interchange.docx import read_docx
from contracts.interchange.markdown import read_markdown
from contracts.interchange.odt import read_odt
from contracts.interchange.parsed import MAX_IMPORT_BYTES, MAX_UNPACKED_BYTES, ParsedDocument

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
SUFFIXES = (".docx", ".odt", ".md", ".markdown", ".txt")


def _refuse(message, code: str) -> RuleViolation:
    return RuleViolation(message, fields={"file": [message]}, code=code)


def _unreadable(name: str) -> RuleViolation:
    return _refuse(
        _(
            "%(name)s could not be read as a Word (.docx), OpenDocument (.odt) or Markdown "
            "file. Save it again from your word processor in one of these formats and choose "
            "it again."
        )
        % {"name": name},
        "unreadable_file",
    )


def _zip(name: str, data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _unreadable(name) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _unreadable(name)
    return archive


def _parse(name: str, data: bytes) -> ParsedDocument:
    lower = name.lower()
    if lower.endswith(".docx"):
        archive = _zip(name, data)
        if "word/document.xml" not in archive.namelist():
            raise _unreadable(name)
        return read_docx(io.BytesIO(data))
    if lower.endswith(".odt"):
        archive = _zip(name, data)
        if "content.xml" not in archive.namelist() or archive.read("mimetype") != ODT_MIMETYPE:
            raise _unreadable(name)
        return read_odt(io.BytesIO(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(
            _("%(name)s is not UTF-8 text. Save the Markdown file as UTF-8 and choose it again.")
            % {"name": name},
            "unreadable_file",
        ) from None
    return read_markdown(text.replace("\x00", ""))


def parse_upload(upload) -> ParsedDocument:
    """The clauses of an uploaded file (a Django UploadedFile), or a RuleViolation on `file`."""
    if upload is None:
        raise _refuse(
            _("Choose a .docx, .odt or Markdown (.md) file of the rulebook to import."),
            "file_missing",
        )
    name = upload.name or ""
    if not name.lower().endswith(SUFFIXES):
        raise _refuse(
            _(
                "%(name)s is not a file this import reads. Choose a Word (.docx), "
                "OpenDocument (.odt) or Markdown (.md) file; save an older .doc or a PDF as "
                ".docx first."
            )
            % {"name": name},
            "unsupported_file_type",
        )
    if upload.size > MAX_IMPORT_BYTES:
        raise _refuse(
            _(
                "%(name)s is %(size)s MB; a rulebook to import may be at most %(limit)s MB. "
                "Remove the images (they are not imported) and save it again."
            )
            % {
                "name": name,
                "size": round(upload.size / 1024 / 1024, 1),
                "limit": MAX_IMPORT_BYTES // 1024 // 1024,
            },
            "file_too_large",
        )
    data = upload.read()
    try:
        parsed = _parse(name, data)
    except RuleViolation:
        raise
    except Exception:  # a damaged file: whatever the library stumbled on
        raise _unreadable(name) from None
    if not parsed.clauses:
        raise _refuse(
            _(
                "No numbered clause was found in %(name)s. Number the clauses' headings or "
                "paragraphs (4, 4.2, 4.2a), typed or with the word processor's numbering, "
                "and import it again."
            )
            % {"name": name},
            "no_clauses_found",
        )
    return parsed
