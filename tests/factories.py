import factory
from factory.django import DjangoModelFactory

from tremplin.accounts.codes import new_card_token
from tremplin.accounts.enums import UserKind
from tremplin.accounts.models import User
from tremplin.organisations.enums import MembershipRole, OrganisationType
from tremplin.organisations.models import Commune, Department, Enrolment, Membership, Organisation, Region

PIN = "2580"
PASSWORD = "correct horse battery staple"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "52"
    name = "Pays de la Loire"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = "49"
    name = "Maine-et-Loire"
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    code = "49007"
    name = "Angers"
    department = factory.SubFactory(DepartmentFactory)
    postcodes = ["49000", "49100"]
    population = 157175


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association numérique {n}")
    type = OrganisationType.ASSO
    commune = factory.SubFactory(CommuneFactory)


def _learner_code(n: int) -> str:
    """A valid 6-character login code for the n-th factory learner, however many a test process creates
    (``LRN`` + three digits became seven characters after the thousandth learner of a worker)."""
    from tremplin.accounts.codes import CODE_ALPHABET

    digits = ""
    for _ in range(5):
        n, rest = divmod(n, len(CODE_ALPHABET))
        digits = CODE_ALPHABET[rest] + digits
    return "L" + digits


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="fr_FR")

    class Params:
        learner = factory.Trait(
            kind=UserKind.LEARNER,
            username=factory.Sequence(lambda n: _learner_code(n)),
            card_token=factory.LazyFunction(new_card_token),
            email=None,
        )
        staff = factory.Trait(
            kind=UserKind.STAFF,
            username=factory.SelfAttribute("email"),
            email=factory.Sequence(lambda n: f"formateur{n}@exemple.fr"),
        )

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or (PIN if obj.kind == UserKind.LEARNER else PASSWORD))
        if create:
            obj.save()


def LearnerFactory(**kwargs):
    return UserFactory(learner=True, **kwargs)


def StaffFactory(**kwargs):
    return UserFactory(staff=True, **kwargs)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.LazyFunction(StaffFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.TRAINER


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    learner = factory.LazyFunction(LearnerFactory)
    organisation = factory.SubFactory(OrganisationFactory)
