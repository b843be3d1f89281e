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


# --- Casework -------------------------------------------------------------------------------
#
# Casework records are made through their services, as the application makes them: the
# owner's country, the code, the audit rows and everything the access policy keeps on a
# record come out right, and a test cannot build a record the application could not.


class _ThroughService(factory.Factory):
    """A factory whose ``_create`` calls the record's service with ``actor`` and fields."""

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class: type, *args: object, **kwargs: object) -> object:
        raise TypeError("casework records are only made through their services (use create)")


class SeriesFactory(_ThroughService):
    """A series owned by ``actor``'s agency (an investigator at a new agency by default)."""

    class Meta:
        model = "cases.Series"

    actor = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Harbour room {n}")
    distribution = "agency"
    sharing_group = None
    first_seen = None

    @classmethod
    def _create(cls, model_class: type, actor: User, **fields: object) -> object:
        from cases.services import series_create

        return series_create(actor=actor, **fields)


def _sockets() -> object:
    from cases.models import ClueTaxonomyNode

    return ClueTaxonomyNode.objects.get(slug="sockets")


class ClueFactory(_ThroughService):
    """A clue on ``series`` (a network-wide series of a new agency by default) by its author."""

    class Meta:
        model = "cases.Clue"

    series = factory.SubFactory(SeriesFactory, distribution="network")
    actor = factory.SelfAttribute("series.created_by")
    taxonomy_node = factory.LazyFunction(_sockets)
    title = factory.Sequence(lambda n: f"Recessed socket {n}")
    description = "A recessed wall socket with two earthing clips, cream coloured."
    distribution = "agency"

    @classmethod
    def _create(cls, model_class: type, actor: User, **fields: object) -> object:
        from cases.services import clue_create

        return clue_create(actor=actor, **fields)


class VictimFactory(_ThroughService):
    """A child seen in ``series`` (a list; one series of ``actor``'s agency by default)."""

    class Meta:
        model = "cases.Victim"

    actor = factory.SubFactory(UserFactory)
    series = factory.LazyAttribute(lambda victim: [SeriesFactory(actor=victim.actor)])
    distribution = "agency"
    sharing_group = None

    @classmethod
    def _create(cls, model_class: type, actor: User, **fields: object) -> object:
        from cases.services.victims import victim_create

        return victim_create(actor=actor, **fields)


class IdentificationEventFactory(_ThroughService):
    """One event of ``victim``'s log, recorded by ``actor`` (the victim's creator by default)."""

    class Meta:
        model = "cases.IdentificationEvent"

    victim = factory.SubFactory(VictimFactory)
    actor = factory.SelfAttribute("victim.created_by")
    kind = "identified"
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))

    @classmethod
    def _create(cls, model_class: type, actor: User, **fields: object) -> object:
        from cases.services.victims import identification_event_record

        return identification_event_record(actor=actor, **fields)[-1]


class SharingGroupFactory(_ThroughService):
    """A sharing group managed by ``actor``'s agency (a coordinator) with ``members``."""

    class Meta:
        model = "victimid.SharingGroup"

    actor = factory.SubFactory(UserFactory, roles=[Role.COORDINATOR])
    name = factory.Sequence(lambda n: f"Task force {n}")
    members = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class: type, actor: User, **fields: object) -> object:
        from cases.services import sharing_group_create

        return sharing_group_create(actor=actor, **fields)
