"""Template tags of django-allauth's pages in the product's frame (accounts/templates/allauth/
elements/): the house's error summary and button styles for allauth's forms."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

# allauth tags its buttons with what they are for; these are the ones that are not the page's
# main action.
NOT_THE_MAIN_ACTION = frozenset({"outline", "secondary", "link", "cancel", "tool", "danger"})


@register.inclusion_tag("web/form_errors.html", takes_context=True)
def error_summary(context, form=None):
    """The house's error summary (role=alert, each error linked to its field) above a form,
    once per page: the email addresses page shows two forms of one Form object. allauth
    names the form to some of its form elements and leaves it in the page's context for
    others (the password reset from the emailed link); the sign-out page has none."""
    form = form or context.get("form")
    request = context.get("request")
    shown = getattr(request, "_error_summaries_shown", None)
    if shown is None:
        shown = set()
        if request is not None:
            request._error_summaries_shown = shown
    if form is None or id(form) in shown:
        return {"form": None}
    shown.add(id(form))
    return {"form": form}


@register.simple_tag
def button_class(attrs) -> str:
    """`primary` for the page's main action (allauth's "primary" or "prominent" button, or a
    form's submit button it tags with nothing), `danger` for a removal, and `button` for a
    link drawn as a button."""
    tags = set(attrs.get("tags") or ())
    classes = []
    if attrs.get("href"):
        classes.append("button")
    main = bool(tags & {"primary", "prominent"}) or (
        not tags and not attrs.get("href") and attrs.get("type", "submit") == "submit"
    )
    if main and not tags & NOT_THE_MAIN_ACTION:
        classes.append("primary")
    if "danger" in tags:
        classes.append("danger")
    return " ".join(classes)


@register.simple_tag
def described_by(attrs, has_hint) -> str:
    """The ids of a drawn field's hint and errors, for its aria-describedby."""
    ids = []
    if has_hint:
        ids.append(f"{attrs.get('id')}_hint")
    if attrs.get("errors"):
        ids.append(f"{attrs.get('id')}_errors")
    return " ".join(ids)


@register.simple_tag
def webauthn_messages() -> dict:
    """What accounts/static/accounts/webauthn-errors.js says when the browser's WebAuthn call
    fails, by the DOMException's name, in the page's language."""
    return {
        "NotAllowedError": _(
            "The security key did not answer, or the request was cancelled. Try again."
        ),
        "InvalidStateError": _("This security key is already registered to your account."),
        "SecurityError": _(
            "Security keys work only on this site's own secure address (https). Open the "
            "site from its usual address and try again."
        ),
        "other": _(
            "Your browser could not use a security key here. Try again, or sign in in another way."
        ),
    }
