"""Forms of the invitation and people pages. They only shape what was typed; who may invite
whom is commissioning.grants', and a service's refusal is put back on the form with
`show_refusal`."""

from allauth.account.adapter import get_adapter
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from commissioning.models import Membership, Programme

Role = Membership.Role


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    role = forms.ChoiceField(label=_("Role"))
    is_admin = forms.BooleanField(
        label=_("Organisation admin"),
        required=False,
        help_text=_(
            "Provider representatives only: they may invite and remove colleagues. A "
            "provider's first representative is always its admin."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the email"),
        required=False,
        choices=[("", _("The organisation's country's")), *Programme.Language.choices],
    )

    def __init__(self, *args, organisations=(), first_representatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.id: o for o in [*organisations, *first_representatives]}
        groups = []
        if organisations:
            groups.append((_("Your organisations"), [(o.id, o.name) for o in organisations]))
        if first_representatives:
            groups.append(
                (
                    _("Providers taking part, without an admin yet"),
                    [(o.id, o.name) for o in first_representatives],
                )
            )
        self.fields["organisation"].choices = groups
        roles = set()
        for organisation in organisations:
            roles |= Membership.ROLES_BY_KIND.get(organisation.kind, set())
        if first_representatives:
            roles.add(Role.PROVIDER_REPRESENTATIVE)
        self.fields["role"].choices = [(r, label) for r, label in Role.choices if r in roles]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "email": data["email"],
            "organisation": self.organisations[data["organisation"]],
            "role": data["role"],
            "is_admin": data["is_admin"],
            "language": data["language"],
        }


class JoinForm(forms.Form):
    """Someone new: their name and a password, checked by the installation's password
    validators (AUTH_PASSWORD_VALIDATORS, through allauth's adapter)."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 8 characters, not only digits, not a common password and not like "
            "your name or address."
        ),
    )
    password2 = forms.CharField(
        label=_("The password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        password = data.get("password1")
        if password and data.get("password2") != password:
            self.add_error("password2", _("The two passwords differ; type the same one twice."))
        elif password:
            person = get_user_model()(
                username=self.email.split("@")[0],
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                get_adapter().clean_password(password, user=person)
            except ValidationError as error:
                self.add_error("password1", error)
        return data
