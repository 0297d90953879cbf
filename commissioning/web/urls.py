"""The pages, outside /api/. Each journey keeps its own URL module beside its views."""

from django.urls import include, path

from commissioning.web import home, sign_in, views

urlpatterns = [
    path("", home.home, name="home"),
    path("sign-in/", sign_in.SignInView.as_view(), name="sign-in"),
    path("sign-out/", sign_in.SignOutView.as_view(), name="sign-out"),
    path("organisation/", views.choose_organisation, name="choose-organisation"),
    # Django's set_language view: the language switch posts here; the cookie it sets wins
    # over the browser's Accept-Language from then on.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("commissioning.web.dashboard_urls")),
    path("", include("dialogue.web.meeting_urls")),
    path("", include("dialogue.web.consultation_urls")),
    path("", include("workers.web.briefing_urls")),
]
