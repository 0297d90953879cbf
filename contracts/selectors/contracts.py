"""Every read of contracts that a view or job uses: querysets that start from the policy's
visible_contracts and are prefetched for the serializer that shows them."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from commissioning import policies
from commissioning.errors import NotFound
from contracts.diff import field_diff
from contracts.models import (
    Contract,
    ContractParty,
    ContractVersion,
    Obligation,
    ObligationFulfilment,
)
from contracts.terms import LONG_TEXT_TERMS, terms_of


def contract_list(*, person) -> QuerySet[Contract]:
    return (
        policies.visible_contracts(person)
        .select_related("programme", "purchaser")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=ContractParty.objects.select_related("organisation").order_by(
                    "role", "id"
                ),
            ),
            # All versions, in order: the serializer shows the last as the current terms.
            Prefetch(
                "versions",
                queryset=ContractVersion.objects.order_by("number"),
                to_attr="ordered_versions",
            ),
        )
    )


def contract_get(*, person, contract_id) -> Contract:
    return policies.get_visible(contract_list(person=person), pk=contract_id)


def version_list(*, person, contract_id) -> QuerySet[ContractVersion]:
    contract = policies.get_visible(policies.visible_contracts(person), pk=contract_id)
    return (
        ContractVersion.objects.filter(contract=contract)
        .select_related("created_by")
        .order_by("number")
    )


def version_get(*, person, contract_id, number) -> ContractVersion:
    return policies.get_visible(version_list(person=person, contract_id=contract_id), number=number)


def version_pair(*, person, contract_id, first: int, second: int):
    """The two versions of a diff, or NotFound naming the number that is missing."""
    found = {
        v.number: v
        for v in version_list(person=person, contract_id=contract_id).filter(
            number__in=[first, second]
        )
    }
    for number in (first, second):
        if number not in found:
            raise NotFound(
                _("This contract has no version %(number)s; see its list of versions.")
                % {"number": number}
            )
    return found[first], found[second]


def obligation_list(*, person) -> QuerySet[Obligation]:
    return (
        Obligation.objects.filter(contract__in=policies.visible_contracts(person))
        .select_related("contract", "owed_by")
        .prefetch_related(
            Prefetch(
                "fulfilments",
                queryset=ObligationFulfilment.objects.select_related("recorded_by").order_by("due"),
            )
        )
    )


def obligation_get(*, person, obligation_id) -> Obligation:
    return policies.get_visible(obligation_list(person=person), pk=obligation_id)


def party_get(*, person, contract_id, party_id) -> ContractParty:
    contract = policies.get_visible(policies.visible_contracts(person), pk=contract_id)
    return policies.get_visible(
        ContractParty.objects.filter(contract=contract).select_related("organisation", "contract"),
        pk=party_id,
    )


def version_diff(*, person, contract_id, first: int, second: int) -> dict:
    """What changed between two versions, field by field and, inside the long texts (where
    the UK findings live: clinical governance, pathway development), word by word."""
    old, new = version_pair(person=person, contract_id=contract_id, first=first, second=second)
    return {
        "from": old.number,
        "to": new.number,
        "changes": field_diff(terms_of(old), terms_of(new), long_text=LONG_TEXT_TERMS),
    }
