"""What was asked, what was said and what was done, without sign-in (Citizen Space and
regulations.gov publish so): the published consultations (dialogue/selectors/publication.py
decides which), each on its own page, and per purchaser an Atom feed and the OCDS release
packages.

public/consultations/                                  the published consultations, by purchaser
public/consultations/<id>/                             one: comments, responses, what changed
public/purchasers/<id>/consultations.atom              a purchaser's, newest first
public/purchasers/<id>/ocds/                           a purchaser's as OCDS, ?page=N
"""

import django_filters
from django.contrib.syndication.views import Feed
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from commissioning.errors import NotFound
from commissioning.models import Organisation
from commissioning.web.acting import public_page
from commissioning.web.lists import page_list
from dialogue.models import Comment, Response
from dialogue.selectors import publication
from dialogue.selectors.publication_ocds import PAGE_SIZE, release_of, release_package


class PublishedFilters(django_filters.FilterSet):
    purchaser = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Purchaser"),
        queryset=lambda request: Organisation.objects.filter(
            pk__in=publication.published_consultations().values("purchaser")
        ).order_by("name"),
        empty_label=gettext_lazy("Every purchaser"),
    )
    title = django_filters.CharFilter(label=gettext_lazy("Title contains"), lookup_expr="icontains")


SORTS = {"closes_at": gettext_lazy("Closed"), "title": gettext_lazy("Consultation")}


@require_GET
@public_page
def published_list(request):
    rows = page_list(
        request,
        publication.published_list(),
        filters=PublishedFilters,
        sorts=SORTS,
        default_sort="-closes_at",
    )
    return render(
        request,
        "dialogue/web/public_list.html",
        {"rows": rows},
        status=400 if rows.refused else 200,
    )


def _with_words(record: dict) -> dict:
    """The codes of the record as words of the reader's language."""
    kinds = dict(Comment.Kind.choices)
    outcomes = dict(Response.Outcome.choices)
    entries = [e for clause in record["clauses"] for e in clause["comments"]] + record["general"]
    for entry in entries:
        entry["kind_label"] = kinds.get(entry["kind"], entry["kind"])
        if entry["response"] is not None:
            outcome = entry["response"]["outcome"]
            entry["response"]["outcome_label"] = outcomes.get(outcome, outcome)
    return record


@require_GET
@public_page
def published_consultation(request, consultation_id: int):
    consultation = publication.published_get(consultation_id=consultation_id)
    record = _with_words(publication.published_record(consultation))
    return render(
        request,
        "dialogue/web/public_consultation.html",
        {
            "consultation": consultation,
            "record": record,
            "comment_count": sum(len(c["comments"]) for c in record["clauses"])
            + len(record["general"]),
        },
    )


class PurchaserFeed(Feed):
    """A purchaser's published consultations, newest close first (the latest 50)."""

    feed_type = Atom1Feed

    def get_object(self, request, purchaser_id):
        return publication.publishing_purchaser(purchaser_id=purchaser_id)

    def title(self, purchaser):
        return _("Consultations of %(purchaser)s") % {"purchaser": purchaser.name}

    def link(self, purchaser):
        return reverse("public-consultations") + f"?purchaser={purchaser.pk}"

    def subtitle(self, purchaser):
        return _("What was asked, what was said and what was done.")

    def items(self, purchaser):
        return publication.published_list(purchaser=purchaser).order_by("-closes_at", "-id")[:50]

    def item_title(self, consultation):
        return consultation.title

    def item_description(self, consultation):
        return _(
            "%(rulebook)s, version %(number)s: %(comments)s comments, with the purchaser's "
            "responses."
        ) % {
            "rulebook": consultation.rulebook_version.rulebook.title,
            "number": consultation.rulebook_version.number,
            "comments": consultation.published_comments,
        }

    def item_link(self, consultation):
        return reverse("public-consultation", args=[consultation.pk])

    def item_pubdate(self, consultation):
        return consultation.closed_at or consultation.closes_at

    def item_updateddate(self, consultation):
        return consultation.closed_at or consultation.closes_at

    def item_author_name(self, consultation):
        return consultation.purchaser.name


@public_page
def purchaser_feed(request, purchaser_id: int):
    return PurchaserFeed()(request, purchaser_id=purchaser_id)


@require_GET
@public_page
def purchaser_ocds(request, purchaser_id: int):
    """One page of release packages; the next page in the Link header (rel="next")."""
    purchaser = publication.publishing_purchaser(purchaser_id=purchaser_id)
    number = request.GET.get("page", "1")
    if not number.isdigit() or int(number) < 1:
        raise NotFound(_("There is no page %(number)s.") % {"number": number})
    number = int(number)
    start = (number - 1) * PAGE_SIZE
    consultations = list(
        publication.published_list(purchaser=purchaser).order_by("-closes_at", "-id")[
            start : start + PAGE_SIZE + 1
        ]
    )
    if not consultations:
        raise NotFound(
            _("%(purchaser)s has published no consultations on this page.")
            % {"purchaser": purchaser.name}
        )
    more = len(consultations) > PAGE_SIZE
    releases = [
        release_of(
            consultation,
            publication.published_record(consultation),
            url=request.build_absolute_uri(reverse("public-consultation", args=[consultation.pk])),
        )
        for consultation in consultations[:PAGE_SIZE]
    ]
    package = release_package(releases, uri=request.build_absolute_uri(), published=timezone.now())
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False})
    if more:
        path = reverse("public-ocds", args=[purchaser.pk])
        response["Link"] = f'<{request.build_absolute_uri(path)}?page={number + 1}>; rel="next"'
    return response
