# allauth's admin module registers SocialApp when it is imported; it is imported here first
# (accounts comes before allauth in INSTALLED_APPS) so that its page can be replaced below.
from allauth.socialaccount.admin import SocialAppAdmin, SocialAppForm
from allauth.socialaccount.models import SocialApp
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, IdentityProviderRule, Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "is_admin", "created_at", "expires_at")
    list_filter = ("role",)
    search_fields = ("email", "organisation__name")
    readonly_fields = ("key", "accepted_at", "accepted_by", "revoked_at")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "person", "prefix", "created_at", "last_used_at")
    search_fields = ("name", "person__username")
    readonly_fields = ("digest", "prefix", "created_at", "last_used_at")


class IdentityProviderRuleInline(admin.StackedInline):
    model = IdentityProviderRule
    can_delete = True
    extra = 1
    max_num = 1
    autocomplete_fields = ("organisation",)


class IdentityProviderForm(SocialAppForm):
    """An OpenID Connect provider needs its issuer (`server_url`), and PKCE stays on: the
    installation's default (SOCIALACCOUNT_PROVIDERS) is only ever strengthened here."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("provider") != "openid_connect":
            return cleaned
        settings = cleaned.get("settings") or {}
        issuer = settings.get("server_url") if isinstance(settings, dict) else None
        if not isinstance(issuer, str) or not issuer.startswith(("https://", "http://")):
            self.add_error(
                "settings",
                _(
                    'Give the provider\'s issuer as {"server_url": "https://…", '
                    '"oauth_pkce_enabled": true}; the issuer is the address before '
                    "/.well-known/openid-configuration."
                ),
            )
        elif settings.get("oauth_pkce_enabled") is False:
            self.add_error(
                "settings",
                _("PKCE cannot be turned off: remove oauth_pkce_enabled or set it to true."),
            )
        if not cleaned.get("provider_id"):
            self.add_error(
                "provider_id",
                _("Give the provider a short id, e.g. region-alpha; it is part of its address."),
            )
        return cleaned


class IdentityProviderAdmin(SocialAppAdmin):
    """allauth's SocialApp page, with the rule of what the provider may do beside it."""

    form = IdentityProviderForm
    list_display = ("name", "provider", "provider_id")
    inlines = (IdentityProviderRuleInline,)


admin.site.unregister(SocialApp)
admin.site.register(SocialApp, IdentityProviderAdmin)
