"""Every briefing of the purchaser, by date and language: the finished briefings of all its
programmes as one list (commissioning.web.lists.page_list), filtered by programme and
language, sorted by the date made or the language. The overview of a programme shows its
latest; this page is where the earlier ones and the other languages are."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from commissioning.models import Programme
from commissioning.web.acting import page
from commissioning.web.lists import page_list
from pages.briefings import briefing_programmes, briefing_purchaser
from workers.models import Document
from workers.selectors import documents as document_selectors

SORTS = {"finished_at": _("Made on"), "language": _("Language")}


class BriefingFilters(django_filters.FilterSet):
    programme = django_filters.ChoiceFilter(
        label=_("Programme"), method="filter_programme", empty_label=_("Every programme")
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Programme.Language.choices, empty_label=_("Any language")
    )

    class Meta:
        model = Document
        fields = ["programme", "language"]

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["programme"].extra["choices"] = [(str(p.pk), p.name) for p in programmes]

    def filter_programme(self, queryset, name, value):
        return queryset.filter(subject_id=value)


@require_GET
@page
def briefing_documents(request):
    purchaser = briefing_purchaser(request)
    programmes = list(briefing_programmes(request, purchaser).order_by("name", "id"))
    briefings = document_selectors.document_list(person=request.user).filter(
        kind=Document.Kind.BRIEFING,
        purchaser=purchaser,
        status=Document.Status.DONE,
        subject_type=ContentType.objects.get_for_model(Programme),
        subject_id__in=[str(p.pk) for p in programmes],
    )
    rows = page_list(
        request,
        briefings,
        filters=BriefingFilters,
        filter_kwargs={"programmes": programmes},
        sorts=SORTS,
        default_sort="-finished_at",
    )
    names = {str(p.pk): p for p in programmes}
    return render(
        request,
        "pages/briefing_documents.html",
        {
            "purchaser": purchaser,
            "rows": rows,
            "briefings": [(document, names.get(document.subject_id)) for document in rows.rows],
        },
        status=400 if rows.refused else 200,
    )
