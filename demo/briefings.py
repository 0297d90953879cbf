"""A ready briefing for the Norwegian council: the municipality's manager has ordered the
cooperation programme's briefing in Norwegian Bokmål, and it is rendered while the demo
loads, so that Solveig (the council's politician) finds one to download."""

from workers.documents import orders, render
from workers.models import Document


def norwegian_briefing(*, manager, municipality, programme) -> Document:
    document, _created = orders.order_document(
        actor=manager,
        acting_for=municipality,
        kind=Document.Kind.BRIEFING,
        subject=programme,
        language="nb",
    )
    # Rendered now rather than after the commit: the demo's world is ready when it is loaded,
    # whether or not a worker runs (a second delivery of the render does nothing).
    render.render_now(document.id)
    document.refresh_from_db()
    return document
