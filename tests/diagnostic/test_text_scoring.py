"""Typed answers: an address is compared exactly, case and surrounding spaces aside (issue 10, content 3)."""

import pytest

from tremplin.diagnostic.scoring import is_correct

EMAIL = {"answers": ["karim.haddad@exemple.fr"]}
PHONE = {"answers": ["0612345678", "+33612345678"]}
SITE = {"answers": ["www.service-public.fr"]}


@pytest.mark.parametrize("typed", ["karimhaddad@exemplefr", "karim-haddad@exemple.fr", "karim.haddad@exemple-fr",
                                   "karim.haddad@exemple.f.r", "karim haddad@exemple.fr"])
def test_an_email_address_missing_a_dot_or_with_a_dash_is_wrong(typed):
    assert not is_correct("text", EMAIL, {"text": typed})


@pytest.mark.parametrize("typed", ["karim.haddad@exemple.fr", "  Karim.Haddad@Exemple.FR  "])
def test_an_email_address_typed_exactly_is_right_whatever_the_case_and_surrounding_spaces(typed):
    assert is_correct("text", EMAIL, {"text": typed})


def test_a_web_address_missing_its_dash_is_wrong():
    assert not is_correct("text", SITE, {"text": "www.servicepublic.fr"})
    assert is_correct("text", SITE, {"text": " WWW.Service-Public.fr"})


@pytest.mark.parametrize("typed", ["06 12 34 56 78", "06.12.34.56.78", "06-12-34-56-78", "+33 6 12 34 56 78"])
def test_a_phone_number_is_still_read_with_spaces_dots_or_dashes(typed):
    assert is_correct("text", PHONE, {"text": typed})


@pytest.mark.django_db
def test_the_real_email_typing_item_refuses_the_address_without_its_dots(learner, real_bank):
    from tremplin.diagnostic.models import DiagnosticItem
    from tremplin.diagnostic.services import answer_submit, session_start

    version = DiagnosticItem.objects.get(slug="email-ecrire-adresse").current
    assert version.data["answers"] == ["karim.haddad@exemple.fr"]
    wrong, _ = answer_submit(session=session_start(learner=learner), version=version,
                             raw={"text": "karimhaddad@exemplefr"})
    assert wrong.correct is False
