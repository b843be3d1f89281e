"""factory_boy factories shared by every test package."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from victimid.choices import AgencyKind, Role, VettingStatus
from victimid.models import Agency, User

PASSWORD = "correct-horse-battery-staple-42"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    country = "NL"
    kind = AgencyKind.POLICE
    contact_point = "+31 00 000 0000"


class UserFactory(factory.django.DjangoModelFactory):
    """A vetted investigator with a password and a confirmed TOTP device."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"User {n}")
    agency = factory.SubFactory(AgencyFactory)
    vetting_status = VettingStatus.VETTED
    vetted_until = factory.LazyFunction(lambda: timezone.now() + timedelta(days=365))

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if not create:
            return
        names = extracted if extracted is not None else [Role.INVESTIGATOR]
        self.groups.set(Group.objects.filter(name__in=[str(n) for n in names]))
        self.__dict__.pop("role_names", None)

    @factory.post_generation
    def totp(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            TOTPDevice.objects.create(user=self, name="test", confirmed=True)


class PendingUserFactory(UserFactory):
    vetting_status = VettingStatus.PENDING
    vetted_until = None
