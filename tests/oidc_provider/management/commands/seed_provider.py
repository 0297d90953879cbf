import json
import sys

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application

from tests.oidc_provider.models import Account


class Command(BaseCommand):
    help = "Create or update the provider's users and clients from JSON on stdin."

    def handle(self, *args, **options):
        seed = json.load(sys.stdin)
        for person in seed.get("users", []):
            user, _ = User.objects.update_or_create(
                username=person["username"],
                defaults={
                    "email": person["email"],
                    "first_name": person.get("first_name", ""),
                    "last_name": person.get("last_name", ""),
                },
            )
            user.set_password(person["password"])
            user.save()
            Account.objects.update_or_create(
                user=user, defaults={"email_verified": person.get("email_verified", True)}
            )
        for client in seed.get("clients", []):
            Application.objects.filter(client_id=client["client_id"]).delete()
            Application.objects.create(
                name=client["client_id"],
                client_id=client["client_id"],
                client_secret=client["client_secret"],  # hashed on save
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                algorithm=Application.RS256_ALGORITHM,
                redirect_uris=" ".join(client["redirect_uris"]),
                post_logout_redirect_uris=" ".join(client.get("post_logout_redirect_uris", [])),
                skip_authorization=True,
            )
