"""The accounts app's pages.

invitations/<signed>/                     the link of an invitation email (no sign-in needed)
people/                                   the people of the organisation acted for
people/invite/                            POST: an invitation
people/invitations/<id>/resend/           POST
people/invitations/<id>/revoke/           POST
people/memberships/<id>/end/              a confirmation (GET), then the end (POST)
"""

from django.urls import path

from accounts.web import invitations, people

urlpatterns = [
    path("invitations/<str:token>/", invitations.invitation_page, name="invitation-page"),
    path("people/", people.people_page, name="people-page"),
    path("people/invite/", people.invite_page, name="invite-page"),
    path(
        "people/invitations/<int:invitation_id>/resend/",
        people.resend_page,
        name="invitation-resend-page",
    ),
    path(
        "people/invitations/<int:invitation_id>/revoke/",
        people.revoke_page,
        name="invitation-revoke-page",
    ),
    path(
        "people/memberships/<int:membership_id>/end/",
        people.end_membership_page,
        name="end-membership-page",
    ),
]
