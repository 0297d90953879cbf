"""A rulebook's files, on a page: import a .docx, .odt or Markdown file as the next version
(a preview first, which saves nothing; then the save), download each version or the
redline between two as .docx, in the language of the page, and order and download them as
tagged PDFs (contracts/web/rulebook_documents.py).

The preview's clauses travel to the save in a signed form field (django.core.signing), so the
file is not uploaded twice and nothing is kept on the server between the two steps; the save
matches them to the latest version again, under the rulebook's lock, through the same service
as the API (contracts.services.rulebook_imports)."""

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from commissioning import policies
from commissioning.errors import Conflict, RuleViolation
from commissioning.web.acting import allowed, page
from contracts.interchange.docx_export import version_docx
from contracts.interchange.files import parse_upload
from contracts.interchange.parsed import ParsedClause, ParsedDocument
from contracts.interchange.redline import redline_docx
from contracts.selectors import rulebooks as selectors
from contracts.services import rulebook_imports
from contracts.web import rulebook_documents

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SALT = "contracts.rulebook-import"
MAX_AGE = 2 * 60 * 60


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_lazy("Rulebook file"),
        required=False,
        help_text=_lazy("A Word (.docx), OpenDocument (.odt) or Markdown (.md) file."),
    )
    summary = forms.CharField(
        label=_lazy("Summary of changes"), required=False, max_length=20000, widget=forms.Textarea
    )


def _refused(message, field=None) -> ImportForm:
    """An empty form carrying the refusal, for the error summary."""
    form = ImportForm(data={})
    form.is_valid()
    form.add_error(field, message)
    return form


def _context(request, rulebook, **extra):
    versions = list(selectors.version_list(person=request.user, rulebook=rulebook))
    purchaser = rulebook.programme.purchaser
    staff = allowed(policies.require_purchaser_staff, request.user, request.acting_for, purchaser)
    # The PDFs made of each version, for those who read the purchaser's documents.
    documents = rulebook_documents.latest_documents(person=request.user, versions=versions)
    for version in versions:
        version.pdf_documents = documents[version.pk]
    return {
        "rulebook": rulebook,
        "versions": versions,
        "may_import": staff,
        "may_order_pdf": staff,
        "pdf_readable": staff or any(documents.values()),
        **extra,
    }


def _render(request, rulebook, form, status=200, **extra):
    context = _context(request, rulebook, form=form, **extra)
    return render(request, "contracts/web/rulebook_files.html", context, status=status)


@page
def rulebook_files(request, rulebook_id):
    rulebook = selectors.rulebook_get(person=request.user, rulebook_id=rulebook_id)
    if request.method != "POST":
        return _render(request, rulebook, ImportForm())
    policies.require_purchaser_staff(request.user, request.acting_for, rulebook.programme.purchaser)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, rulebook, form, status=400)
    try:
        parsed = parse_upload(form.cleaned_data["file"])
    except RuleViolation as error:
        form.add_error("file", str(error.message))
        return _render(request, rulebook, form, status=400)
    preview = rulebook_imports.preview_import(
        actor=request.user, acting_for=request.acting_for, rulebook=rulebook, parsed=parsed
    )
    token = signing.dumps(
        {
            "clauses": [[c.key, c.heading, c.text] for c in parsed.clauses],
            "source": form.cleaned_data["file"].name,
            "summary": form.cleaned_data["summary"],
        },
        salt=SALT,
        compress=True,
    )
    return _render(request, rulebook, form, preview=preview, token=token)


@require_POST
@page
def rulebook_import_save(request, rulebook_id):
    rulebook = selectors.rulebook_get(person=request.user, rulebook_id=rulebook_id)
    policies.require_purchaser_staff(request.user, request.acting_for, rulebook.programme.purchaser)
    try:
        kept = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        form = _refused(
            _("The preview is too old or incomplete. Choose the file again and preview it."),
            "file",
        )
        return _render(request, rulebook, form, status=400)
    parsed = ParsedDocument(clauses=[ParsedClause(*clause) for clause in kept["clauses"]], notes=[])
    try:
        version = rulebook_imports.import_rulebook_version(
            actor=request.user,
            acting_for=request.acting_for,
            rulebook=rulebook,
            parsed=parsed,
            summary=kept["summary"],
            source=kept["source"],
        )
    except (RuleViolation, Conflict) as error:
        form = _refused(str(error.message))
        return _render(request, rulebook, form, status=error.status)
    messages.success(
        request,
        _("Version %(number)s was saved as a draft with %(count)s clauses.")
        % {"number": version.number, "count": len(parsed.clauses)},
    )
    return redirect("rulebook-files", rulebook_id=rulebook.pk)


def _docx(content: bytes, filename: str) -> HttpResponse:
    answer = HttpResponse(content, content_type=DOCX)
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    return answer


@require_GET
@page
def version_download(request, version_id):
    version = selectors.version_get(person=request.user, version_id=version_id)
    content = version_docx(version, list(version.clauses.all()))
    return _docx(content, f"rulebook-{version.rulebook_id}-v{version.number}.docx")


@require_GET
@page
def version_redline(request, version_id):
    version = selectors.version_get(person=request.user, version_id=version_id)
    old = selectors.version_for_diff(
        version=version,
        against_id=selectors.redline_base(version=version, against=request.GET.get("against")),
    )
    content = redline_docx(old, version, list(old.clauses.all()), list(version.clauses.all()))
    name = f"rulebook-{version.rulebook_id}-v{version.number}-redline-v{old.number}.docx"
    return _docx(content, name)
