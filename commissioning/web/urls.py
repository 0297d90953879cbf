"""The pages every journey shares: signing in and out, the organisation a person acts for,
and the language switch."""

from django.urls import include, path

from commissioning.web import sign_in, views

urlpatterns = [
    path("sign-in/", sign_in.SignInView.as_view(), name="sign-in"),
    path("sign-out/", sign_in.SignOutView.as_view(), name="sign-out"),
    path("organisation/", views.choose_organisation, name="choose-organisation"),
    # Django's set_language view: the language switch posts here; the cookie it sets wins
    # over the browser's Accept-Language from then on.
    path("i18n/", include("django.conf.urls.i18n")),
]
