import factory
from django.contrib.auth import get_user_model

from commissioning.models import (
    Membership,
    NetworkMembership,
    Organisation,
    Participation,
    Programme,
)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda p: f"{p.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.PROVIDER
    ownership = factory.LazyAttribute(
        lambda o: Organisation.Ownership.PRIVATE if o.kind == Organisation.Kind.PROVIDER else ""
    )
    country = "SE"


class PurchaserFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Region {n}")
    kind = Organisation.Kind.PURCHASER


class ProviderFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Provider {n} AB")
    kind = Organisation.Kind.PROVIDER


class NetworkFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Provider network {n}")
    kind = Organisation.Kind.PROVIDER_NETWORK


class PoliticalBodyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Health committee {n}")
    kind = Organisation.Kind.POLITICAL_BODY
    oversees = factory.SubFactory(PurchaserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(PurchaserFactory)
    role = Membership.Role.OFFICER


class NetworkMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    provider = factory.SubFactory(ProviderFactory)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    purchaser = factory.SubFactory(PurchaserFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")
    framework = Programme.Framework.SE_CARE_CHOICE
    language = Programme.Language.SV

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        for organisation in extracted or ():
            Participation.objects.create(programme=self, organisation=organisation)
