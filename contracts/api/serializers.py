import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.api.base import InputSerializer
from commissioning.api.dates import DateField
from commissioning.api.fields import MAX_INTEGER, VisibleId
from commissioning.api.representation import nested_once
from commissioning.api.serializers import OrganisationBriefSerializer
from commissioning.models import Organisation, Programme
from contracts import occurrences as due_dates
from contracts.models import (
    Contract,
    ContractParty,
    ContractVersion,
    Obligation,
    ObligationFulfilment,
)
from contracts.services import contracts as contract_services

LONG_TEXT = 20000


class ContractPartySerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(read_only=True)

    class Meta:
        model = ContractParty
        fields = ["id", "organisation", "role"]


class ContractVersionSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(
        source="created_by.username", default=None, allow_null=True, read_only=True
    )
    is_sealed = serializers.SerializerMethodField()

    class Meta:
        model = ContractVersion
        fields = [
            "id",
            "number",
            "change_summary",
            "is_amendment",
            *ContractVersion.TERM_FIELDS,
            "is_sealed",
            "sealed_at",
            "created_by",
            "created_at",
        ]

    def get_is_sealed(self, version) -> bool:
        return version.sealed_at is not None


class ContractProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ContractSerializer(serializers.ModelSerializer):
    programme = ContractProgrammeSerializer(read_only=True)
    purchaser = OrganisationBriefSerializer(read_only=True)
    parties = ContractPartySerializer(many=True, read_only=True)
    allowed_next_statuses = serializers.SerializerMethodField()
    current_terms = serializers.SerializerMethodField()
    version_count = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "reference",
            "programme",
            "purchaser",
            "status",
            "allowed_next_statuses",
            "parties",
            "current_terms",
            "version_count",
            "signed_at",
            "status_changed_at",
            "created_at",
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=Contract.Status.choices))
    )
    def get_allowed_next_statuses(self, contract):
        return contract_services.CONTRACT_LIFECYCLE.allowed_next(contract.status)

    # Both read the versions prefetched by contracts.selectors.contracts.contract_list.
    @extend_schema_field(ContractVersionSerializer(allow_null=True))
    def get_current_terms(self, contract):
        versions = contract.ordered_versions
        if not versions:
            return None
        return nested_once(self, "_terms", ContractVersionSerializer).to_representation(
            versions[-1]
        )

    def get_version_count(self, contract) -> int:
        return len(contract.ordered_versions)


class TermsInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Contract.Kind.choices)
    period_start = DateField(required=False, allow_null=True)
    period_end = DateField(required=False, allow_null=True)
    value = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    # The rule of contracts.services.contracts.check_terms, in the schema as a pattern.
    currency = serializers.RegexField(
        r"^[A-Z]{3}$",
        required=False,
        allow_blank=True,
        error_messages={
            "invalid": _(
                "Write the currency as its three-letter ISO 4217 code in capitals, e.g. SEK."
            )
        },
    )
    notice_period_months = serializers.IntegerField(
        min_value=0, max_value=1200, required=False, allow_null=True
    )
    renewal_options = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT)
    clinical_governance = serializers.CharField(
        required=False, allow_blank=True, max_length=LONG_TEXT
    )
    pathway_development = serializers.CharField(
        required=False, allow_blank=True, max_length=LONG_TEXT
    )


class PartyInputSerializer(InputSerializer):
    organisation = VisibleId(Organisation)
    role = serializers.ChoiceField(choices=ContractParty.Role.choices)


class ContractCreateInputSerializer(TermsInputSerializer):
    programme = VisibleId(Programme)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
    parties = PartyInputSerializer(many=True, required=False)


class TermsChangeInputSerializer(TermsInputSerializer):
    """Changed terms; before signing they edit the current version, after signing they make
    an amendment, for which the change summary is required."""

    patch_needs_a_field = True  # an empty PATCH changes nothing and is refused

    change_summary = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT)


class VersionCreateInputSerializer(TermsInputSerializer):
    """A new version: the terms it leaves out are the latest version's; the change summary,
    which says what changes, is the one field required."""

    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=Contract.Kind.choices, required=False)
    change_summary = serializers.CharField(max_length=LONG_TEXT)


class TerminateInputSerializer(InputSerializer):
    reason = serializers.CharField(max_length=LONG_TEXT)


class EmptyInputSerializer(InputSerializer):
    """A request that carries nothing but, perhaps, acting_for."""


class DiffQuerySerializer(serializers.Serializer):
    def get_fields(self):
        # "from" is a Python keyword, so the fields are named here.
        return {
            "from": serializers.IntegerField(min_value=1, max_value=MAX_INTEGER),
            "to": serializers.IntegerField(min_value=1, max_value=MAX_INTEGER),
        }


class DiffChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)
    words = serializers.ListField(child=serializers.DictField(), required=False)


class VersionDiffSerializer(serializers.Serializer):
    from_version = serializers.IntegerField(source="from")
    to_version = serializers.IntegerField(source="to")
    changes = DiffChangeSerializer(many=True)


class ObligationFulfilmentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(
        source="recorded_by.username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = ObligationFulfilment
        fields = ["id", "due", "fulfilled_on", "note", "recorded_by", "created_at"]


NEXT_DUE_COUNT = 3


class ObligationSerializer(serializers.ModelSerializer):
    owed_by = OrganisationBriefSerializer(read_only=True)
    fulfilments = ObligationFulfilmentSerializer(many=True, read_only=True)
    next_due = serializers.SerializerMethodField(
        help_text=_("The next due dates from today that are not yet fulfilled.")
    )
    overdue = serializers.SerializerMethodField(
        help_text=_("Due dates before today that have no fulfilment (the latest 12).")
    )

    class Meta:
        model = Obligation
        fields = [
            "id",
            "contract",
            "title",
            "description",
            "owed_by",
            "cadence",
            "first_due",
            "until",
            "next_due",
            "overdue",
            "fulfilments",
            "created_at",
        ]

    def _done(self, obligation) -> set:
        return {f.due for f in obligation.fulfilments.all()}

    def get_next_due(self, obligation) -> list[str]:
        done = self._done(obligation)
        upcoming = due_dates.occurrences(
            obligation, after=timezone.localdate(), count=NEXT_DUE_COUNT + len(done)
        )
        return [d.isoformat() for d in upcoming if d not in done][:NEXT_DUE_COUNT]

    def get_overdue(self, obligation) -> list[str]:
        done = self._done(obligation)
        today = timezone.localdate()
        past = due_dates.occurrences_between(
            obligation, obligation.first_due, today - datetime.timedelta(days=1)
        )
        return [d.isoformat() for d in past if d not in done][-12:]


class ObligationInputSerializer(InputSerializer):
    contract = VisibleId(Contract)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT)
    owed_by = VisibleId(Organisation)
    cadence = serializers.ChoiceField(choices=Obligation.Cadence.choices, required=False)
    first_due = DateField()
    until = DateField(required=False, allow_null=True)


class FulfilmentInputSerializer(InputSerializer):
    due = DateField(help_text=_("The due date of the occurrence that was fulfilled."))
    fulfilled_on = DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT)
