"""The pages every journey shares: signing in and out (django-allauth's views, under the
product's own addresses), the organisation a person acts for, and the language switch."""

from allauth.account import views as account_views
from django.urls import include, path

from commissioning.web import milestones, views

urlpatterns = [
    path("sign-in/", account_views.LoginView.as_view(), name="sign-in"),
    path("sign-out/", account_views.LogoutView.as_view(), name="sign-out"),
    # Password reset and change, email addresses, two-factor, single sign-on.
    path("account/", include("allauth.urls")),
    path("organisation/", views.choose_organisation, name="choose-organisation"),
    # Django's set_language view: the language switch posts here; the cookie it sets wins
    # over the browser's Accept-Language from then on, and a signed-in person's choice is
    # saved to their profile, which wins over both.
    path("i18n/setlang/", views.switch_language, name="set_language"),
    # Milestones: the list (overdue first), planning from the template, a milestone's page
    # with marking it met (with evidence) and waiving it (managers).
    path("milestones/", milestones.milestone_list, name="milestone-pages"),
    path("milestones/plan/", milestones.apply_template, name="milestone-apply-template"),
    path("milestones/<int:milestone_id>/", milestones.milestone_detail, name="milestone-page"),
    path("milestones/<int:milestone_id>/met/", milestones.milestone_met, name="milestone-met-page"),
    path(
        "milestones/<int:milestone_id>/waive/",
        milestones.milestone_waive,
        name="milestone-waive-page",
    ),
]
