"""Open access (ADR 0010): learn without an account, keep the progress with a code, bring it to a trainer."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tremplin.accounts.device import COOKIE
from tremplin.accounts.models import User
from tremplin.catalog.models import Module
from tremplin.organisations.models import Enrolment
from tremplin.progress.enums import ProgressStatus
from tremplin.progress.models import LearningEvent, ModuleProgress
from tremplin.stats.indicators import people_reached

from ..conftest import page_text
from ..factories import PIN, EnrolmentFactory, LearnerFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _module() -> Module:
    return Module.objects.filter(is_active=True, slug="ecran-tactile").first() or Module.objects.filter(
        is_active=True).first()


def _next(client, module, number):
    return client.post(reverse("learner:step", args=[module.slug, number]), {"event_id": str(uuid.uuid4())})


def _do_first_steps(client, module, n=2):
    for number in range(1, n + 1):
        response = _next(client, module, number)
        assert response.status_code == 302, page_text(response)[:500]
    return response


def test_a_visitor_opens_every_learning_page_without_an_account_and_creates_nothing(client, content):
    module = _module()
    before = User.objects.count()
    for url in [reverse("learner:home"), reverse("learner:track", args=[module.track.slug]),
                reverse("learner:module", args=[module.slug]), reverse("learner:step", args=[module.slug, 1]),
                reverse("learner:simulators"), reverse("learner:diagnostic"), reverse("public:home")]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert User.objects.count() == before  # a crawler that only reads pages creates nothing
    assert COOKIE not in client.cookies


def test_the_first_step_done_creates_one_guest_remembered_by_the_device(client, content):
    module = _module()
    _do_first_steps(client, module)
    guest = User.objects.get(is_guest=True)
    assert not guest.has_usable_password() and guest.first_name == "" and guest.card_token is None
    assert LearningEvent.objects.filter(learner=guest).count() >= 2
    assert client.cookies[COOKIE]["httponly"] and client.cookies[COOKIE]["max-age"]
    assert "Garder ma progression" in page_text(client.get(reverse("learner:home")))


def test_closing_the_browser_loses_nothing_the_device_cookie_brings_the_guest_back(client, content):
    module = _module()
    _do_first_steps(client, module)
    guest = User.objects.get(is_guest=True)
    reopened = Client()  # a new browser session: only the long-lived device cookie survives
    reopened.cookies[COOKIE] = client.cookies[COOKIE].value
    home = page_text(reopened.get(reverse("learner:home")))
    assert "Reprendre où vous en étiez" in home and module.title in home
    _next(reopened, module, 3)
    assert User.objects.filter(is_guest=True).count() == 1
    assert ModuleProgress.objects.get(learner=guest, module=module).furthest_position >= 2


@pytest.mark.parametrize("cookie", ["abc", "\x00", "x" * 500, "'; DROP TABLE", None])
def test_a_tampered_or_foreign_device_cookie_starts_afresh_and_shows_nobody_s_progress(client, content, cookie):
    module = _module()
    owner = Client()
    _do_first_steps(owner, module)
    value = owner.cookies[COOKIE].value
    flipped = "A" if value[-2] != "A" else "B"  # one character of the signature changed
    forged = cookie if cookie is not None else value[:-2] + flipped + value[-1]
    assert forged != value
    stranger = Client()
    stranger.cookies[COOKIE] = forged
    response = stranger.get(reverse("learner:home"))
    assert response.status_code == 200
    assert "Reprendre où vous en étiez" not in page_text(response)
    assert stranger.cookies[COOKIE].value == ""  # the bad cookie is removed


def test_keeping_the_progress_gives_a_code_and_pin_that_work_on_another_device(client, content):
    module = _module()
    _do_first_steps(client, module)
    guest = User.objects.get(is_guest=True)
    assert client.get(reverse("learner:keep")).status_code == 200
    assert client.post(reverse("learner:keep"), {"first_name": "  "}).status_code == 400
    card = page_text(client.post(reverse("learner:keep"), {"first_name": "Awa"}))
    code = re.search(r"Mon code personnel : <strong[^>]*>([^<]+)<", card).group(1)
    pin = re.search(r"Mon code secret : <strong>(\d{4})<", card).group(1)
    guest.refresh_from_db()
    assert not guest.is_guest and guest.first_name == "Awa" and code == guest.login_code_display
    assert client.cookies[COOKIE].value == ""  # the device no longer opens the account without the PIN
    assert "Bonjour Awa" in page_text(client.get(reverse("learner:home")))  # still signed in here
    other = Client()
    response = other.post(reverse("accounts:learner_login"), {"code": code, "pin": pin, "remember": "on"})
    assert response.status_code == 302
    assert "Reprendre où vous en étiez" in page_text(other.get(reverse("learner:home")))


def test_a_double_tap_on_keep_makes_one_account_and_the_pin_shown_last_works(client, content):
    module = _module()
    _do_first_steps(client, module)
    client.post(reverse("learner:keep"), {"first_name": "Awa"})
    card = page_text(client.post(reverse("learner:keep"), {"first_name": "Awa"}))
    pin = re.search(r"Mon code secret : <strong>(\d{4})<", card).group(1)
    learners = User.objects.filter(kind="learner")
    assert learners.count() == 1 and learners.get().check_password(pin)
    assert LearningEvent.objects.filter(learner=learners.get()).count() >= 2


def test_signing_in_on_a_device_with_guest_progress_asks_before_adding_it_once(client, content):
    module = _module()
    _do_first_steps(client, module, n=3)
    guest = User.objects.get(is_guest=True)
    moved = LearningEvent.objects.filter(learner=guest).count()
    person = LearnerFactory(first_name="Karim")
    client.post(reverse("accounts:learner_login"), {"code": person.username, "pin": PIN, "remember": "on"})
    home = page_text(client.get(reverse("learner:home")))
    assert "Voulez-vous ajouter ce que vous avez fait à votre compte ?" in home
    assert "Reprendre où vous en étiez" not in home  # nothing added before the person says yes
    response = client.post(reverse("learner:attach"), {"action": "add"})
    assert response.status_code == 302
    assert LearningEvent.objects.filter(learner=person).count() == moved
    assert not User.objects.filter(pk=guest.pk).exists()
    assert ModuleProgress.objects.get(learner=person, module=module).status == ProgressStatus.IN_PROGRESS
    client.post(reverse("learner:attach"), {"action": "add"})  # a second tab: nothing more
    assert LearningEvent.objects.filter(learner=person).count() == moved
    assert "Voulez-vous ajouter" not in page_text(client.get(reverse("learner:home")))


def test_after_adding_a_guest_the_pages_of_this_phone_name_the_guest_key_so_its_queue_joins_the_account(client,
                                                                                                        content):
    from tremplin.api.keys import learner_key

    module = _module()
    _do_first_steps(client, module)
    guest = User.objects.get(is_guest=True)
    guest_key = learner_key(guest)
    assert 'data-former' not in client.get(reverse("learner:home")).content.decode()
    person = LearnerFactory(first_name="Karim")
    client.post(reverse("accounts:learner_login"), {"code": person.username, "pin": PIN, "remember": "on"})
    client.post(reverse("learner:attach"), {"action": "add"})
    html = client.get(reverse("learner:home")).content.decode()
    assert (f'<meta name="tremplin-learner" content="{learner_key(person)}" data-former="{guest_key}">') in html
    # The same account on another phone, or someone who said no here: nothing of that guest.
    elsewhere = Client()
    elsewhere.post(reverse("accounts:learner_login"), {"code": person.username, "pin": PIN})
    assert "data-former" not in elsewhere.get(reverse("learner:home")).content.decode()


def test_saying_no_keeps_the_account_as_it_was(client, content):
    module = _module()
    _do_first_steps(client, module)
    person = LearnerFactory()
    client.post(reverse("accounts:learner_login"), {"code": person.username, "pin": PIN, "remember": "on"})
    client.post(reverse("learner:attach"), {"action": "no"})
    assert not LearningEvent.objects.filter(learner=person).exists()
    assert "data-former" not in client.get(reverse("learner:home")).content.decode()
    assert "Voulez-vous ajouter" not in page_text(client.get(reverse("learner:home")))


def test_a_trainer_enrols_a_person_who_learnt_alone_and_sees_their_history(client, content):
    module = _module()
    alone = Client()
    _do_first_steps(alone, module)
    card = page_text(alone.post(reverse("learner:keep"), {"first_name": "Awa"}))
    code = re.search(r"Mon code personnel : <strong[^>]*>([^<]+)<", card).group(1)
    pin = re.search(r"Mon code secret : <strong>(\d{4})<", card).group(1)
    membership = MembershipFactory()
    client.force_login(membership.user)
    url = reverse("trainer:learner_enrol_existing")
    wrong = "0000" if pin != "0000" else "1111"
    response = client.post(url, {"code": code, "pin": wrong, "consent": "on"})
    assert response.status_code == 400 and "n'est pas bon" in page_text(response)
    response = client.post(url, {"code": code, "pin": pin})
    assert response.status_code == 400 and "la personne doit être d'accord" in page_text(response)
    assert not Enrolment.objects.exists()
    response = client.post(url, {"code": code.lower(), "pin": pin, "consent": "on"})
    assert response.status_code == 302
    person = User.objects.get(first_name="Awa")
    assert Enrolment.objects.filter(learner=person, organisation=membership.organisation).count() == 1
    followup = page_text(client.get(reverse("trainer:followup_learner", args=[person.pk])))
    assert module.title in followup
    client.post(url, {"code": code, "pin": pin, "consent": "on"})  # twice: still one enrolment
    assert Enrolment.objects.filter(learner=person).count() == 1


def test_a_guest_has_no_attestation_before_keeping_the_progress(client, content):
    module = _module()
    _do_first_steps(client, module)
    response = client.get(reverse("learner:attestation", args=[module.slug]))
    assert response.status_code == 302 and response["Location"] == reverse("learner:keep")


def test_new_guests_are_budgeted_per_connection_without_blocking_a_room(client, content, settings):
    settings.GUEST_BUDGET_PER_HOUR = 3
    from django.core.cache import cache

    cache.clear()
    module = _module()
    for _ in range(3):  # a small room: everybody starts
        assert _next(Client(), module, 1).status_code == 302
    refused = _next(Client(), module, 1)
    assert refused.status_code == 429 and "Réessayez dans une heure" in page_text(refused)
    assert User.objects.filter(is_guest=True).count() == 3
    assert _next(Client(REMOTE_ADDR="192.0.2.7"), module, 1).status_code == 302  # another connection


def test_inactive_guests_are_purged_with_their_progress_and_active_ones_kept(content, settings):
    from django.test import Client as C

    module = _module()
    old, recent = C(), C()
    _do_first_steps(old, module)
    old_guest = User.objects.get(is_guest=True)
    _do_first_steps(recent, module)
    long_ago = timezone.now() - dt.timedelta(days=settings.GUEST_INACTIVE_DAYS + 1)
    User.objects.filter(pk=old_guest.pk).update(date_joined=long_ago, last_login=long_ago)
    LearningEvent.objects.filter(learner=old_guest).update(stored_at=long_ago)
    kept_alone = LearnerFactory()  # an ordinary learner is never purged here
    User.objects.filter(pk=kept_alone.pk).update(date_joined=long_ago, last_login=long_ago)
    call_command("purge_guests", "--dry-run")
    assert User.objects.filter(pk=old_guest.pk).exists()
    call_command("purge_guests")
    assert not User.objects.filter(pk=old_guest.pk).exists()
    assert not LearningEvent.objects.filter(learner_id=old_guest.pk).exists()
    assert User.objects.filter(is_guest=True).count() == 1 and User.objects.filter(pk=kept_alone.pk).exists()


def test_people_learning_alone_count_as_autonomous_and_never_as_an_organisation_s(content):
    module = _module()
    _do_first_steps(Client(), module)
    followed = EnrolmentFactory().learner
    client = Client()
    client.force_login(followed)
    _do_first_steps(client, module)
    LearnerFactory()  # no activity: not reached
    reached = people_reached()
    assert (reached.total, reached.followed, reached.autonomous) == (2, 1, 1)
    assert reached.autonomous_definition.startswith("Apprenants autonomes")


def test_a_guest_who_has_a_card_can_open_the_sign_in_page(client, content):
    _do_first_steps(client, _module())
    response = client.get(reverse("accounts:learner_login"))
    assert response.status_code == 200 and "Votre code personnel" in page_text(response)


def test_the_open_access_pages_fit_the_learner_page_budget(client, content, capsys):
    from .test_page_weight import HTML_BUDGET, first_visit_weight

    module = _module()
    figures = {}
    anonymous = [reverse("public:home"), reverse("learner:home"), reverse("learner:module", args=[module.slug]),
                 reverse("learner:step", args=[module.slug, 1])]
    for url in anonymous:
        html, html_wire, _assets, assets_wire = first_visit_weight(client, url)
        figures[url] = (len(html.encode()), html_wire + assets_wire)
    _do_first_steps(client, module)
    html, html_wire, _assets, assets_wire = first_visit_weight(client, reverse("learner:keep"))
    figures[reverse("learner:keep")] = (len(html.encode()), html_wire + assets_wire)
    card = client.post(reverse("learner:keep"), {"first_name": "Awa"}, HTTP_ACCEPT_ENCODING="gzip")
    figures["carte (POST)"] = (len(__import__("gzip").decompress(card.content)), len(card.content))
    for url, (raw, wire) in figures.items():
        assert raw <= HTML_BUDGET and wire <= 10 * 1024, (url, raw, wire)
    with capsys.disabled():
        print("\n[open access page weight] " + "; ".join(f"{u}: {r} B HTML, {w} B first visit"
                                                          for u, (r, w) in figures.items()))


def test_the_public_home_opens_the_doors_for_everyone(client, content):
    text = page_text(client.get(reverse("public:home")))
    for door in ("Commencer maintenant", "J'ai une carte : me connecter", "Je suis formateur ou formatrice",
                 "Par où commencer ?", "Faire le point", "Écouter"):
        assert door in text
    assert "Trouver de l'aide près de chez moi" not in text  # no place published yet


def test_the_card_page_no_longer_offers_to_keep_what_is_kept(client, content):
    _do_first_steps(client, _module())
    card = page_text(client.post(reverse("learner:keep"), {"first_name": "Awa"}))
    assert "Garder ma progression" not in card and "Se déconnecter" in card
