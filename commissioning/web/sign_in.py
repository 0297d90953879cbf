"""Sign-in and sign-out with Django's auth views; django-axes locks out repeated failures."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from commissioning.web.acting import SESSION_KEY


class SignInForm(AuthenticationForm):
    """Django's form, with the browser told what each field is for (password managers,
    WCAG 1.3.5) and a message that does not say which of the two was wrong."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That user name and password do not match an account. Check both and try again; "
            "after several failed tries, signing in is paused for a while."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )


class SignInView(auth_views.LoginView):
    template_name = "web/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        # A new session starts with the person's own first organisation, not the last
        # person's choice on a shared computer.
        self.request.session.pop(SESSION_KEY, None)
        return super().form_valid(form)


class SignOutView(auth_views.LogoutView):
    pass


def locked_out(request, credentials, *args, **kwargs):
    """django-axes' answer once the failure limit is reached: a page (or JSON for the API's
    token endpoint) saying why and for how long, with 429 Too Many Requests."""
    from django.conf import settings

    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    message = _(
        "Signing in is paused for %(minutes)s minutes after too many failed tries for this "
        "user name from this address. Wait, then try again, or ask an administrator to "
        "reset your password."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        from commissioning.api.errors import error_body

        return JsonResponse(error_body("locked_out", message), status=429)
    return render(request, "web/locked_out.html", {"message": message}, status=429)
