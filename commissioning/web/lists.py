"""Page lists: one page of rows at a time, filtered and sorted by what the URL says.

Every list on the pages is made by `page_list`, so a list behaves alike everywhere: filters,
sort and page number live in the query string (a list can be bookmarked and shared), a
filter the person typed wrong comes back as a 400 with the error summary naming the field
as the filter form labels it, and a page number past the end is a 404 that says how many
pages there are. Counting the rows is one query and fetching the page another, however long
the list: a page costs the same on the first and the five-hundredth page.

    rows = page_list(
        request,
        meetings,
        filters=MeetingFilters,                 # a django_filters.FilterSet, optional
        sorts={"starts_at": _("Starts"), "title": _("Title")},
        default_sort="-starts_at",
    )
    if rows.refused:
        return render(request, template, {"rows": rows}, status=400)

In the template: `{% include "web/list_filters.html" with rows=rows %}`, a sortable column
heading `{% include "web/sort_header.html" with rows=rows key="title" %}`, the rows of
`rows.page`, then `{% include "web/list_paging.html" with rows=rows %}`; an empty list shows
`{% include "web/list_empty.html" with rows=rows message=... %}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.errors import NotFound

PAGE_SIZE = 25
PAGE_SIZES = (10, 25, 50, 100)


class ListControls(forms.Form):
    """The sort and page of a list; the sort's choices are the list's own."""

    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False)
    page = forms.IntegerField(label=gettext_lazy("Page"), min_value=1, required=False)
    per_page = forms.TypedChoiceField(
        label=gettext_lazy("Rows per page"),
        coerce=int,
        required=False,
        choices=[(size, size) for size in PAGE_SIZES],
    )

    def __init__(self, *args, sorts: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for key, label in sorts.items():
            choices.append((key, label))
            choices.append((f"-{key}", label))
        self.fields["sort"].choices = [("", ""), *choices]


@dataclass
class Column:
    """A sortable column heading: its label, the link that sorts by it (or reverses the
    sort), and the aria-sort value it has now."""

    key: str
    label: str
    query: str
    aria_sort: str  # "ascending", "descending" or "none"


@dataclass
class PageList:
    page: Page | None
    filters: object | None  # the bound FilterSet, whose .form the page shows
    controls: ListControls
    sort: str
    columns: dict[str, Column] = field(default_factory=dict)
    refused: bool = False
    filtered: bool = False  # any filter set: the empty state then says "clear the filters"

    @property
    def rows(self):
        return list(self.page.object_list) if self.page is not None else []

    @property
    def errors_form(self):
        """The form whose errors the error summary lists: the filters' first, then the
        list's own controls."""
        if self.filters is not None and self.filters.form.errors:
            return self.filters.form
        return self.controls


def _query_without(request, *names: str, **values) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    for name, value in values.items():
        query[name] = value
    return query.urlencode()


def _columns(request, sorts: dict[str, str], sort: str) -> dict[str, Column]:
    columns = {}
    for key, label in sorts.items():
        if sort == key:
            aria, target = "ascending", f"-{key}"
        elif sort == f"-{key}":
            aria, target = "descending", key
        else:
            aria, target = "none", key
        query = _query_without(request, "page", sort=target)
        columns[key] = Column(key=key, label=str(label), query=query, aria_sort=aria)
    return columns


def _sorted_rows(rows, fields: tuple[str, ...], descending: bool) -> list:
    """A list of rows that a selector made in Python (relationship health), sorted by the
    attributes named; a missing figure (None) sorts last either way. The sort is stable, so
    rows equal on these keep the selector's own order."""

    def key(row):
        values = []
        for name in fields:
            value = getattr(row, name)
            if isinstance(value, str):
                value = value.casefold()
            values.append((value is None) != descending)
            values.append(value if value is not None else 0)
        return values

    return sorted(rows, key=key, reverse=descending)


def page_list(
    request,
    queryset,
    *,
    filters=None,
    filter_kwargs: dict | None = None,
    sorts: dict[str, str],
    default_sort: str,
    orderings: dict[str, tuple[str, ...]] | None = None,
    per_page: int = PAGE_SIZE,
) -> PageList:
    """One page of `queryset` as the request's query string asks. `queryset` may also be a
    list a selector made (its rows sorted by attribute in Python, its filters a FilterSet-like
    class whose `qs` is a list).

    `sorts` maps each sort key the URL may name to its column label; `orderings` gives the
    order_by fields of a key when they are not the key itself (a tie-breaker on the primary
    key is always added, so that paging never shows a row twice)."""
    controls = ListControls(request.GET, sorts=sorts)
    bound = None
    if filters is not None:
        bound = filters(request.GET, queryset=queryset, request=request, **(filter_kwargs or {}))
    controls_valid = controls.is_valid()
    filters_valid = bound is None or bound.is_valid()
    sort = (controls.cleaned_data.get("sort") if controls_valid else "") or default_sort
    result = PageList(
        page=None,
        filters=bound,
        controls=controls,
        sort=sort,
        columns=_columns(request, sorts, sort),
    )
    if bound is not None:
        result.filtered = any(request.GET.get(name) not in (None, "") for name in bound.form.fields)
    if not (controls_valid and filters_valid):
        result.refused = True
        return result
    rows = bound.qs if bound is not None else queryset
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    fields = (orderings or {}).get(key, (key,))
    if isinstance(rows, QuerySet):
        prefix = "-" if descending else ""
        rows = rows.order_by(*[f"{prefix}{name}" for name in fields], f"{prefix}pk")
    else:
        rows = _sorted_rows(rows, fields, descending)
    size = controls.cleaned_data.get("per_page") or per_page
    paginator = Paginator(rows, size)
    number = controls.cleaned_data.get("page") or 1
    try:
        result.page = paginator.page(number)
    except EmptyPage:
        raise NotFound(
            _("There is no page %(number)s: this list has %(pages)s.")
            % {"number": number, "pages": paginator.num_pages}
        ) from None
    result.page.previous_query = (
        _query_without(request, page=result.page.previous_page_number())
        if result.page.has_previous()
        else ""
    )
    result.page.next_query = (
        _query_without(request, page=result.page.next_page_number())
        if result.page.has_next()
        else ""
    )
    return result
