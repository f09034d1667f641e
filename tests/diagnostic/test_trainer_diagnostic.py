import pytest
from django.test import Client

from tests.conftest import page_text
from tests.factories import EnrolmentFactory, LearnerFactory, MembershipFactory
from tests.pdf import missing_phrases, pdf_text
from tremplin.audit.models import AuditEntry
from tremplin.diagnostic.enums import SessionMode
from tremplin.diagnostic.models import DiagnosticAnswer, DiagnosticSession
from tremplin.diagnostic.selectors import latest_results_for, paper_form_versions

from .conftest import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_and_learner(bank):
    membership = MembershipFactory()
    enrolment = EnrolmentFactory(organisation=membership.organisation)
    return membership.user, enrolment.learner


@pytest.fixture
def trainer_client(client, trainer_and_learner):
    client.force_login(trainer_and_learner[0])
    return client


def paper_answers(right: bool) -> dict:
    form = {}
    for v in paper_form_versions():
        choices = v.data["choices"]
        form[v.item.slug] = str(next(i for i, c in enumerate(choices) if bool(c.get("correct")) == right))
    return form


def test_anonymous_visitors_and_learners_cannot_reach_trainer_diagnostic_pages(client, learner, bank):
    assert client.get("/espace-formateur/positionnement/").status_code == 302
    client.force_login(learner)
    assert client.get("/espace-formateur/positionnement/").status_code == 403


def test_trainer_sees_learners_of_their_organisation_only(trainer_client, trainer_and_learner):
    _, learner = trainer_and_learner
    # A name no random factory name can be (two learners both called Marcel once made this test fail by chance).
    stranger = EnrolmentFactory(learner=LearnerFactory(first_name="Étrangère", last_name="Dailleurs")).learner
    text = page_text(trainer_client.get("/espace-formateur/positionnement/"))
    assert learner.display_name in text and stranger.display_name not in text
    assert trainer_client.get(f"/espace-formateur/positionnement/apprenants/{stranger.pk}/").status_code == 404
    assert trainer_client.get(f"/espace-formateur/positionnement/apprenants/{stranger.pk}/papier/").status_code == 404
    assert trainer_client.post(
        f"/espace-formateur/positionnement/apprenants/{stranger.pk}/accompagne/").status_code == 404


def test_trainer_cannot_print_the_sheet_of_another_organisations_learner(trainer_client, bank):
    stranger = EnrolmentFactory().learner
    session = DiagnosticSession.objects.create(learner=stranger, status="completed", results={})
    assert trainer_client.get(f"/espace-formateur/positionnement/sessions/{session.pk}/fiche.pdf").status_code == 404


def test_a_trainer_starts_an_accompanied_session_the_learner_then_continues(trainer_client, trainer_and_learner):
    trainer, learner = trainer_and_learner
    trainer_client.post(f"/espace-formateur/positionnement/apprenants/{learner.pk}/accompagne/")
    session = DiagnosticSession.objects.get(learner=learner)
    assert session.mode == SessionMode.ACCOMPANIED and session.started_by == trainer
    assert AuditEntry.objects.filter(action="diagnostic.accompanied_start").exists()
    # The learner, signed in on their own phone, resumes that very session and finishes it.
    phone = Client()
    phone.force_login(learner)
    assert "Reprendre où j'en étais" in page_text(phone.get("/apprendre/positionnement/"))
    resumed = phone.post("/apprendre/positionnement/")
    assert resumed["Location"] == f"/apprendre/positionnement/{session.pk}/"
    assert phone.get(resumed["Location"])["Location"].endswith(f"/{session.pk}/vous/")
    phone.post(f"/apprendre/positionnement/{session.pk}/vous/", {"action": "skip"})
    finished = answer_all(phone, session.pk, right=True)
    assert finished.is_completed and finished.mode == SessionMode.ACCOMPANIED and finished.started_by == trainer
    assert finished.answers.count() >= 8 and len(finished.results) == 8
    assert DiagnosticSession.objects.filter(learner=learner).count() == 1
    # The trainer sees the result on the learner's page.
    text = page_text(trainer_client.get(f"/espace-formateur/positionnement/apprenants/{learner.pk}/"))
    assert text.count("<td>Confirmé</td>") == 8 and "Fiche à imprimer (PDF)" in text


def test_the_blank_paper_version_prints_as_a_pdf(trainer_client):
    response = trainer_client.get("/espace-formateur/positionnement/papier.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    versions = paper_form_versions()
    assert len(versions) == 24
    # Every question of the paper form, numbered in order, with its choices to tick.
    assert not missing_phrases(text, [f"{n}. {v.data['prompt']}" for n, v in enumerate(versions, start=1)])
    assert not missing_phrases(text, [c["text"] for v in versions for c in v.data["choices"]])


def test_a_trainer_types_in_paper_answers_and_gets_levels_and_a_result_sheet(trainer_client, trainer_and_learner):
    trainer, learner = trainer_and_learner
    assert "Pas de réponse" in page_text(
        trainer_client.get(f"/espace-formateur/positionnement/apprenants/{learner.pk}/papier/"))
    response = trainer_client.post(f"/espace-formateur/positionnement/apprenants/{learner.pk}/papier/",
                                   paper_answers(True))
    assert response.status_code == 302
    session = DiagnosticSession.objects.get(learner=learner)
    assert session.mode == SessionMode.PAPER and session.is_completed
    assert session.answers.count() == 24 and all(a.entered_by == trainer for a in session.answers.all())
    assert len(session.results) == 8 and all(r["level"] in ("autonome", "confirme") for r in session.results.values())
    text = page_text(trainer_client.get(f"/espace-formateur/positionnement/apprenants/{learner.pk}/"))
    assert "Sur papier" in text and "Fiche à imprimer (PDF)" in text
    sheet = pdf_text(trainer_client.get(f"/espace-formateur/positionnement/sessions/{session.pk}/fiche.pdf"))
    assert f"{learner.display_name} – identifiant Tremplin : {learner.login_code_display}" in sheet
    for r in latest_results_for(learner=learner):
        assert f"{r.title} {r.level_label}" in sheet, r.title
    assert AuditEntry.objects.filter(action="diagnostic.sheet_printed").exists()


def test_a_wrong_paper_answer_is_a_400_and_nothing_is_written(trainer_client, trainer_and_learner):
    _, learner = trainer_and_learner
    form = paper_answers(True)
    first = next(iter(form))
    form[first] = "9"
    response = trainer_client.post(f"/espace-formateur/positionnement/apprenants/{learner.pk}/papier/", form)
    assert response.status_code == 400
    assert "Rien n'a été enregistré" in page_text(response)
    empty = trainer_client.post(f"/espace-formateur/positionnement/apprenants/{learner.pk}/papier/", {})
    assert empty.status_code == 400
    assert DiagnosticSession.objects.count() == 0 and DiagnosticAnswer.objects.count() == 0


def test_a_paper_session_does_not_block_an_open_online_one(trainer_client, trainer_and_learner):
    _, learner = trainer_and_learner
    trainer_client.post(f"/espace-formateur/positionnement/apprenants/{learner.pk}/accompagne/")
    trainer_client.post(f"/espace-formateur/positionnement/apprenants/{learner.pk}/papier/", paper_answers(False))
    assert DiagnosticSession.objects.filter(learner=learner).count() == 2


def test_the_overview_shows_fifty_learners_a_page(client, bank):
    from tests.factories import EnrolmentFactory, LearnerFactory, MembershipFactory, OrganisationFactory

    org = OrganisationFactory()
    for i in range(52):
        EnrolmentFactory(organisation=org, learner=LearnerFactory(first_name=f"Zed{i:02d}"))
    client.force_login(MembershipFactory(organisation=org).user)
    import re

    first = client.get("/espace-formateur/positionnement/").content.decode()
    second = client.get("/espace-formateur/positionnement/", {"page": "2"}).content.decode()
    assert len(set(re.findall(r"Zed\d\d", first))) == 50 and len(set(re.findall(r"Zed\d\d", second))) == 2
    assert "Page suivante" in first
