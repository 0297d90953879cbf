"""How people get in and look after their own account: invitations to an organisation,
API tokens, and the rules django-allauth follows here (sign-up only by invitation, no
sign-in without a membership, two-factor for purchaser staff when the installation says so)."""
