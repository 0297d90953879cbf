from django.conf import settings
from django.db import models


class Account(models.Model):
    """What the provider says about a user beyond Django's User: whether it checked their
    email address (the `email_verified` claim)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    email_verified = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.user} (email verified: {self.email_verified})"
