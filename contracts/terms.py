"""The terms of a contract version as plain values, for Events, diffs and the next version.
Pure helpers: no query, no write; shared by contracts.services and contracts.selectors."""

import datetime
from decimal import Decimal

from contracts.models import ContractVersion

# The terms compared word by word in a diff: the long texts where the UK findings live.
LONG_TEXT_TERMS = frozenset({"renewal_options", "clinical_governance", "pathway_development"})


def terms_of(version: ContractVersion) -> dict:
    """The terms of a version as JSON values (dates in ISO form, amounts as strings), for
    Events and diffs."""
    values = {}
    for name in ContractVersion.TERM_FIELDS:
        value = getattr(version, name)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        values[name] = value
    return values


def terms_of_values(version: ContractVersion) -> dict:
    """The terms of a version as Python values (for building the next version)."""
    return {name: getattr(version, name) for name in ContractVersion.TERM_FIELDS}
