from django.db.models import QuerySet

from tremplin.accounts.enums import UserKind
from tremplin.accounts.models import User

from .models import Commune, Organisation


def organisations_of(*, user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated or user.is_learner:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).select_related("commune").distinct()


def learners_visible_to(*, user: User, organisation: Organisation | None = None) -> QuerySet[User]:
    """Learners enrolled in an organisation the user works for (optionally one of them)."""
    orgs = organisations_of(user=user)
    if organisation is not None:
        orgs = orgs.filter(pk=organisation.pk)
    return User.objects.filter(kind=UserKind.LEARNER, enrolments__organisation__in=orgs).distinct()


def person_keys_in(*, organisation: Organisation) -> dict[tuple, str]:
    """{(first name, last name, birth year) folded: login code} of the active learners an organisation follows."""
    from .imports import person_key

    rows = (User.objects.filter(kind=UserKind.LEARNER, is_active=True, enrolments__organisation=organisation)
            .values_list("first_name", "last_name", "birth_year", "username"))
    return {person_key(first, last, year): code for first, last, year, code in rows.iterator(chunk_size=2000)}


def learner_duplicates_in(*, organisation: Organisation, first_name: str, last_name: str = "",
                          birth_year: int | None = None) -> list[User]:
    """Active learners of the organisation who look like the same person (names without case or accents)."""
    from .imports import person_key

    wanted = person_key(first_name, last_name, birth_year)
    candidates = User.objects.filter(kind=UserKind.LEARNER, is_active=True, enrolments__organisation=organisation,
                                     first_name__iexact=first_name.strip(), birth_year=birth_year)
    exact = [u for u in candidates if person_key(u.first_name, u.last_name, u.birth_year) == wanted]
    if exact:
        return exact
    # iexact misses accents (« Hélène » / « Helene »): fall back on the birth year, then compare in Python.
    loose = User.objects.filter(kind=UserKind.LEARNER, is_active=True, enrolments__organisation=organisation,
                                birth_year=birth_year)[:5000]
    return [u for u in loose if person_key(u.first_name, u.last_name, u.birth_year) == wanted]


def duplicate_groups_in(*, organisation: Organisation) -> list[list[User]]:
    """Groups of active learners sharing first name, last name and birth year (oldest first in each group)."""
    from .imports import person_key

    groups: dict[tuple, list[User]] = {}
    learners = (User.objects.filter(kind=UserKind.LEARNER, is_active=True, enrolments__organisation=organisation)
                .order_by("date_joined").only("id", "first_name", "last_name", "birth_year", "username",
                                              "date_joined", "kind"))
    for user in learners.iterator(chunk_size=2000):
        groups.setdefault(person_key(user.first_name, user.last_name, user.birth_year), []).append(user)
    return [group for group in groups.values() if len(group) > 1]


def organisations_to_share_with(*, organisation: Organisation, learner: User, name: str) -> QuerySet[Organisation]:
    """Organisations whose name contains ``name``, other than this one and those already following the learner."""
    return (Organisation.objects.filter(name__icontains=name.strip())
            .exclude(pk=organisation.pk).exclude(enrolments__learner=learner).select_related("commune")
            .order_by("name"))


def commune_lookup(*, text: str) -> list[Commune]:
    """Communes matching an INSEE code (« 49007 »), or a postcode and/or name (« 49000 Angers », « Angers »)."""
    import re

    text = " ".join((text or "").split())
    if not text:
        return []
    if re.fullmatch(r"(\d{5}|2[AB]\d{3})", text.upper()):
        by_code = list(Commune.objects.filter(code=text.upper()).select_related("department"))
        if by_code:
            return by_code
    match = re.match(r"^(\d{5})\s*(.*)$", text)
    postcode, name = (match.group(1), match.group(2)) if match else ("", text)
    name = re.sub(r"\s*\(.*\)$", "", name).strip()
    qs = Commune.objects.select_related("department")
    candidates = list(qs.filter(name__iexact=name)[:50]) if name else []
    if postcode:
        if not candidates:
            candidates = [c for c in qs.filter(department__code__startswith=postcode[:2])[:3000]]
        candidates = [c for c in candidates if postcode in (c.postcodes or [])]
    return candidates
