"""factory_boy factories shared by every test package: the one way tests build data.

The rule: the records a test needs (its setup) are built with these factories, and the
casework factories build them through their services, as the application does. A test
calls a service itself only for what it tests, or for a change its story needs after the
setup (a level lowered, a member added). Fixtures are thin, named uses of the factories;
a helper that builds records another way does not come back: extend a factory instead.
Where a test needs a state the services refuse (a grant of a permission no service
gives, a victim handed to another agency), it writes it through the ORM and says so in
a comment.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

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
    first_seen = date(2025, 1, 10)

    @classmethod
    def _create(cls, model_class: type, actor: User, **fields: object) -> object:
        from cases.services import series_create

        return series_create(actor=actor, **fields)


def _taxonomy_node(clue: Any) -> object:
    from cases.models import ClueTaxonomyNode

    return ClueTaxonomyNode.objects.get(slug=clue.taxonomy)


class ClueFactory(_ThroughService):
    """A clue on ``series`` (a network-wide series of a new agency by default) by its author.

    ``taxonomy`` names its kind by slug (a socket by default); or give ``taxonomy_node``.
    """

    class Meta:
        model = "cases.Clue"

    class Params:
        taxonomy = "sockets"

    series = factory.SubFactory(SeriesFactory, distribution="network")
    actor = factory.SelfAttribute("series.created_by")
    taxonomy_node = factory.LazyAttribute(_taxonomy_node)
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
    """One event of ``victim``'s log, recorded by ``actor`` (the victim's creator by default).

    An identification yesterday by default. With ``also_identified`` the service records
    two events; the factory returns the last (the safeguarding).
    """

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


def _hash_value(algorithm: str, file: str) -> str:
    """A value of ``algorithm`` that no other factory-made value shares (one per file name)."""
    return hashlib.new(algorithm, file.encode()).hexdigest()


class KnownHashFactory(_ThroughService):
    """One known hash value of ``series``, added by its creator (a fresh MD5 by default).

    Other entry fields (``vics_category``, ``distributed``) are passed on as given.
    """

    class Meta:
        model = "cases.KnownHash"

    series = factory.SubFactory(SeriesFactory)
    actor = factory.SelfAttribute("series.created_by")
    algorithm = "md5"
    value = factory.LazyAttributeSequence(lambda known, n: _hash_value(known.algorithm, f"k{n}"))

    @classmethod
    def _create(cls, model_class: type, actor: User, series: object, **entry: object) -> object:
        from cases.services import known_hashes_add

        return known_hashes_add(actor=actor, series=series, entries=[entry])[0]


class DeconflictionNoticeFactory(_ThroughService):
    """Two agencies hold one file: the notice a refused hash submission leaves.

    ``value`` is added to ``existing_series``, then submitted to ``requesting_series`` by
    its creator and refused. Each series belongs to a new agency by default;
    ``existing_series__actor=...`` and ``requesting_series__actor=...`` say whose.
    """

    class Meta:
        model = "cases.DeconflictionNotice"

    existing_series = factory.SubFactory(SeriesFactory)
    requesting_series = factory.SubFactory(SeriesFactory)
    actor = factory.SelfAttribute("requesting_series.created_by")
    algorithm = "md5"
    value = factory.LazyAttributeSequence(lambda notice, n: _hash_value(notice.algorithm, f"d{n}"))

    @classmethod
    def _create(
        cls,
        model_class: type,
        actor: User,
        existing_series: Any,
        requesting_series: Any,
        **entry: str,
    ) -> object:
        from cases.exceptions import HashConflict
        from cases.models import DeconflictionNotice

        KnownHashFactory(series=existing_series, **entry)
        try:
            KnownHashFactory(actor=actor, series=requesting_series, **entry)
        except HashConflict:
            return DeconflictionNotice.objects.get(requesting_series=requesting_series, **entry)
        raise AssertionError(f"{entry} was not refused: no deconfliction notice")


class SeriesFollowerFactory(_ThroughService):
    """``actor`` follows ``series`` (a network-wide series of another agency by default)."""

    class Meta:
        model = "cases.SeriesFollower"

    series = factory.SubFactory(SeriesFactory, distribution="network")
    actor = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class: type, actor: User, **fields: object) -> object:
        from cases.services import series_follow

        return series_follow(actor=actor, **fields)


class GrantFactory(_ThroughService):
    """An explicit grant of ``record`` (a series, clue or victim) to ``user`` or ``agency``.

    Made by the record's creator; to a new investigator by default. Returns the grant's
    row, in whichever of the six grant tables the record and the grantee choose.
    """

    class Meta:
        model = "cases.SeriesUserGrant"  # or one of the five others: see the docstring

    record = factory.SubFactory(SeriesFactory)
    actor = factory.SelfAttribute("record.created_by")
    agency = None
    user = factory.Maybe(
        "agency", yes_declaration=None, no_declaration=factory.SubFactory(UserFactory)
    )

    @classmethod
    def _create(cls, model_class: type, actor: User, record: Any, user: Any, agency: Any) -> object:
        from cases.access import grant_models
        from cases.services import record_grant

        record_grant(actor=actor, record=record, user=user, agency=agency)
        user_grants, agency_grants, permission = grant_models(record)
        if user is not None:
            grants, holder = user_grants, {"user": user}
        else:
            grants, holder = agency_grants, {"group": agency.permission_group}
        return grants.objects.get(content_object=record, permission__codename=permission, **holder)
