"""The manager dashboard: a purchaser's programmes with their milestones, the relationships
that need attention, open consultations with unanswered comments, and the dialogue-share
and trust trends as charts, each chart followed by a table of the same figures (its text
alternative, WCAG 1.1.1).

For the purchaser's managers and officers; a provider or politician is refused (403), as
policies.require_acting_as_purchaser_staff decides. Every list is read through the policy's
visible querysets in a fixed number of queries.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from commissioning import policies
from commissioning.templatetags.pages import number, percent
from commissioning.web.acting import page
from dialogue.selectors import dialogue_share
from dialogue.selectors.relationships import relationship_health
from pages.selectors import (
    open_consultations_with_unanswered,
    programmes_with_milestones,
)
from workers import charts
from workers.selectors.pulses import pulse_trend

# The relationships shown: the most in need of attention first (dialogue.selectors.relationships).
RELATIONSHIPS_SHOWN = 10


@page
def dashboard(request):
    person, purchaser = request.user, request.acting_for
    policies.require_acting_as_purchaser_staff(person, purchaser)
    consultations = list(open_consultations_with_unanswered(person=person, purchaser=purchaser))
    for consultation in consultations:
        consultation.link = reverse("consultation-page", args=[consultation.id])
    relationships = [
        r
        for r in relationship_health(person=person, purchaser_id=purchaser.id)
        if r.no_meeting_alert or r.overdue_concerns or r.overdue_actions
    ][:RELATIONSHIPS_SHOWN]
    shares = dialogue_share.quarterly_series(
        policies.visible_meetings(person).filter(purchaser=purchaser)
    )
    trust = pulse_trend(policies.visible_pulses(person).filter(purchaser=purchaser))
    return render(
        request,
        "pages/dashboard.html",
        {
            "programmes": programmes_with_milestones(person=person, purchaser=purchaser),
            "relationships": relationships,
            "consultations": consultations,
            "shares": shares,
            "share_chart": share_chart(shares),
            "trust": trust,
            "trust_chart": trust_chart(trust),
        },
    )


def named_image(svg: str, name: str) -> SafeString:
    """Inline SVG as one image with an accessible name; the table after it gives the
    figures as text."""
    return mark_safe(
        svg.replace("<svg ", f'<svg role="img" aria-label="{escape(name)}" focusable="false" ', 1)
    )


def share_chart(shares: list[dialogue_share.QuarterShare]) -> str:
    """The dialogue share per quarter as an SVG line, or "" without held meetings."""
    if not shares:
        return ""
    title = _("Dialogue share per quarter")
    return named_image(
        charts.line_chart(
            title=title,
            labels=[quarter.label for quarter in shares],
            series={_("Dialogue share"): [quarter.share for quarter in shares]},
            range_=(0, 1),
            formatter=percent,
            threshold=charts.ONE_THIRD,
        ),
        title,
    )


def trust_chart(trend: list[dict]) -> str:
    """The mean of each trust statement per quarter (1–5), or "" while no quarter has enough
    answers: a quarter with too few answers is a gap, never a figure (workers.selectors.pulses)."""
    series = charts.trust_series(trend)
    if series is None:
        return ""
    labels, lines = series
    title = _("Trust per quarter (1–5)")
    return named_image(
        charts.line_chart(
            title=title,
            labels=labels,
            series=lines,
            range_=(1, 5),
            formatter=lambda mean: number(mean, 1),
        ),
        title,
    )
