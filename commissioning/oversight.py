"""Who asks for a briefing: the politicians of a political body, for the purchaser their body
oversees (read through `policies`, the one address of the rules). Briefings are how the field
reaches politicians (DESIGN.md); a politician who finds none asks the purchaser's staff."""

from django.utils.translation import gettext as _

from commissioning.errors import Forbidden
from commissioning.models import Membership, Organisation
from commissioning.standing import standing_of


def require_overseeing_politician(
    person, acting_for: Organisation, purchaser: Organisation
) -> None:
    """The person is a politician of the political body they act for, which oversees the
    purchaser."""
    roles = standing_of(person).roles.get(acting_for.id, frozenset())
    if Membership.Role.POLITICIAN not in roles or acting_for.oversees_id != purchaser.id:
        raise Forbidden(
            _(
                "Only the politicians who oversee %(purchaser)s ask for its briefings; its "
                "commissioning staff order them."
            )
            % {"purchaser": purchaser.name},
            code="not_overseeing_politician",
        )
