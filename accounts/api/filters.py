import django_filters
from django.utils import timezone

from accounts.models import Invitation
from commissioning.api.filters import VisibleFilterSet
from commissioning.models import Membership, Organisation


class InvitationFilter(VisibleFilterSet):
    organisation = django_filters.ModelChoiceFilter(queryset=Organisation.objects.all())
    status = django_filters.ChoiceFilter(choices=Invitation.Status.choices, method="filter_status")

    class Meta:
        model = Invitation
        fields = ["organisation", "role", "status"]

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        open_ = {"accepted_at__isnull": True, "revoked_at__isnull": True}
        return {
            Invitation.Status.ACCEPTED: queryset.filter(accepted_at__isnull=False),
            Invitation.Status.REVOKED: queryset.filter(
                accepted_at__isnull=True, revoked_at__isnull=False
            ),
            Invitation.Status.EXPIRED: queryset.filter(**open_, expires_at__lte=now),
            Invitation.Status.PENDING: queryset.filter(**open_, expires_at__gt=now),
        }[value]


class MembershipFilter(VisibleFilterSet):
    organisation = django_filters.ModelChoiceFilter(queryset=Organisation.objects.all())

    class Meta:
        model = Membership
        fields = ["organisation", "role"]
