"""Offline (issue 14): a learner downloads a module, completes it with the network off, and what they did reaches
the server when the network returns, exactly as if they had done it online."""

import re
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tremplin.catalog.models import Module
from tremplin.coaching.services import assignment_create, group_create
from tremplin.progress.enums import ProgressStatus
from tremplin.progress.models import LearningEvent, ModuleProgress

from ..coaching.world import build_side
from ..factories import PIN, EnrolmentFactory, LearnerFactory
from .steps import click, go, sign_in_with_code
from .test_read_aloud import RECORD_AUDIO

MODULE = "ecran-tactile"  # 6 lessons, then single, single, multiple and order questions (tests/fixtures/content)


@pytest.fixture
def side(transactional_db, content):
    side = build_side("A", module=Module.objects.get(slug=MODULE))
    online = EnrolmentFactory(organisation=side.organisation).learner
    group = group_create(organisation=side.organisation, name="En ligne", members=[online], created_by=side.trainer)
    assignment_create(organisation=side.organisation, created_by=side.trainer, module=side.assignment.module,
                      group=group)
    side.online = online
    return side


def right_answer(step) -> dict:
    choices = step.data["choices"]
    if step.kind == "order":
        return {f"rank_{i}": str(i + 1) for i in range(len(choices))}
    return {"choice": [str(i) for i, c in enumerate(choices) if c.get("correct")]}


def complete_online(client, module):
    """The module done through the pages, network on: every step, the right answer to each question."""
    for number, step in enumerate(module.steps.filter(is_active=True).order_by("position"), start=1):
        url = reverse("learner:step", args=[module.slug, number])
        html = client.get(url).content.decode()
        if step.is_question:
            event_id = re.search(r'name="event_id" value="([^"]+)"', html)[1]
            html = client.post(url, {"event_id": event_id, "action": "answer", **right_answer(step)}).content.decode()
            assert "Bravo" in html
        event_id = re.findall(r'name="event_id" value="([^"]+)"', html)[-1]
        response = client.post(url, {"event_id": event_id, "action": "next"})
        assert response.status_code == 302


def next_offline(page):
    """« Suivant » offline: the page keeps it, then opens the next step (from the phone)."""
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Suivant")).first.click()
    page.wait_for_load_state("load")
    page.axe.check()


def events_of(learner):
    return sorted(LearningEvent.objects.filter(learner=learner).values_list("verb", "object_type", "object_id",
                                                                             "success"))


def test_a_module_downloaded_is_completed_offline_and_sent_when_the_network_returns(page, live_server, side):
    module = Module.objects.get(slug=MODULE)
    worker_fetched = []
    page.context.on("request", lambda r: worker_fetched.append(r.url) if r.url.endswith("/sw.js") else None)
    sign_in_with_code(page, live_server.url, side.learner.username, PIN)
    page.wait_for_timeout(300)
    assert worker_fetched == []  # the first learner page (« Bonjour … ») leaves the service worker out of its weight
    go(page, f"{live_server.url}/apprendre/module/{MODULE}/")
    expect(page.get_by_role("button", name="Supprimer du téléphone")).to_be_hidden()
    click(page, "Disponible sans internet")
    note = page.locator("[data-offline] [role=status]")
    # The size, before anything is downloaded, and a lighter choice without the sounds of « Écouter ».
    expect(note).to_contain_text(re.compile(r"Cela prend \d+ Ko sur le téléphone, dont \d+ Ko pour le son"))
    expect(page.get_by_role("button", name=re.compile(r"Sans le son \(\d+ Ko\)"))).to_be_visible()
    click(page, re.compile(r"Télécharger \(\d+ Ko\)"))
    expect(note).to_have_text("C'est prêt : vous pouvez l'utiliser sans internet.", timeout=30_000)
    expect(page.get_by_role("button", name="Supprimer du téléphone")).to_be_visible()
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)") == f"{live_server.url}/apprendre/"
    # Installable: Chromium reads the manifest without error; its one objection is Playwright's private window.
    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getAppManifest")["errors"] == []
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    assert set(errors) <= {"in-incognito"}
    cdp.detach()

    page.context.set_offline(True)
    page.add_init_script(RECORD_AUDIO)
    click(page, "Commencer", role="link")
    # Playwright's offline reaches the service worker's own fetches too (Chromium): a page it never kept fails.
    probe = "fetch('/apprendre/hors-ligne/textes.json?probe').then((r) => r.status)"
    assert page.evaluate(probe) == 503
    page.console_errors[:] = [e for e in page.console_errors if not e.endswith("?probe")]  # that 503 was wanted
    page.get_by_role("button", name="Écouter").click()  # the server's sound, played from the phone
    page.wait_for_function("() => window.audios.length === 1 && window.audios[0].currentTime > 0")
    page.get_by_role("button", name="Arrêter la lecture").click()
    for _ in range(6):
        expect(page.locator("progress")).to_be_visible()
        next_offline(page)
    page.get_by_label("J'appuie très fort pendant 10 secondes.").check()
    click(page, "Valider")
    expect(page.get_by_role("alert")).to_contain_text("Ce n'est pas la bonne réponse")  # a wrong answer first
    page.axe.check()  # the feedback the page built itself
    click(page, "Réessayer", role="link")
    page.get_by_label("Je touche son dessin une fois.").check()
    click(page, "Valider")
    expect(page.get_by_role("alert")).to_contain_text("Bravo, c'est la bonne réponse !")
    next_offline(page)
    page.get_by_label("Je glisse le doigt vers le haut.").check()
    click(page, "Valider")
    next_offline(page)
    page.get_by_label("J'appuie sur la flèche « retour ».").check()
    page.get_by_label("Je reste calme, je ne casse rien.").check()
    click(page, "Valider")
    next_offline(page)
    page.get_by_label("J'appuie dans la case blanche.").select_option("1")
    page.get_by_label("Le clavier apparaît.").select_option("2")
    page.get_by_label("J'appuie sur les lettres une par une.").select_option("3")
    click(page, "Valider")
    expect(page.get_by_role("alert")).to_contain_text("Bravo")
    click(page, re.compile("Terminer"))
    expect(page.get_by_role("alert").last).to_contain_text("Module terminé !")
    status = page.locator("#offline-status")
    expect(status).to_have_text("En attente d'envoi : 15 réponses")
    page.axe.check()
    assert LearningEvent.objects.filter(learner=side.learner).count() == 0  # nothing reached the server

    page.context.set_offline(False)
    expect(status).to_have_text(re.compile(r"Envoyé à \d+ h \d\d"), timeout=15_000)
    page.axe.check()

    # The same actions online, by another learner, through the pages: the very same events.
    online = Client()
    online.force_login(side.online)
    step_3 = module.steps.filter(is_active=True).order_by("position")[6]
    html = online.get(reverse("learner:step", args=[MODULE, 7])).content.decode()
    wrong = {"choice": [str(i) for i, c in enumerate(step_3.data["choices"]) if not c.get("correct")][:1]}
    online.post(reverse("learner:step", args=[MODULE, 7]), {
        "event_id": re.search(r'name="event_id" value="([^"]+)"', html)[1], "action": "answer", **wrong})
    complete_online(online, module)
    assert events_of(side.learner) == events_of(side.online)
    assert len(events_of(side.learner)) == 16  # 10 « Suivant », 5 answers, the completion
    for learner in (side.learner, side.online):
        assert ModuleProgress.objects.get(learner=learner, module=module).status == ProgressStatus.COMPLETED

    trainer = Client()
    trainer.force_login(side.trainer)
    grid = trainer.get(reverse("trainer:followup_grid")).content.decode()
    body = grid[grid.index("<tbody>"):grid.index("</tbody>")]
    assert re.findall(r'<span class="(status-[a-z]+)">', body) == ["status-done", "status-done"]

    # A new content release reaches the phone once the module is done and sent: downloaded again, the old copy gone.
    old = module.content_version
    Module.objects.filter(pk=module.pk).update(content_version="nouvelle-version")
    cache.clear()
    go(page, f"{live_server.url}/apprendre/module/{MODULE}/")
    expect(note).to_have_text("Une nouvelle version du module est sur le téléphone.", timeout=30_000)
    kept = page.evaluate("caches.keys()")
    assert f"tremplin-module:{MODULE}:nouvelle-version" in kept and f"tremplin-module:{MODULE}:{old}" not in kept


def test_what_a_guest_left_queued_on_the_phone_joins_the_account_they_sign_in_with(page, live_server, content):
    """A guest (no account) whose phone still holds answers — sent neither before they signed in with their own
    code, nor by a browser without background sync — says « add what I did »: the phone hands that queue to the
    account and sends it."""
    base = live_server.url
    person = LearnerFactory(first_name="Karim")
    step = Module.objects.get(slug=MODULE).steps.filter(is_active=True).order_by("position")[1]  # not done online
    item = uuid.uuid4()
    go(page, f"{base}/apprendre/")  # open to everyone (ADR 10)
    go(page, f"{base}/apprendre/module/{MODULE}/")  # the second learner page: the worker comes
    click(page, "Commencer", role="link")
    click(page, re.compile("Suivant"))  # the first thing done: the phone's guest account
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)") == f"{base}/apprendre/"
    guest_key = page.locator('meta[name="tremplin-learner"]').get_attribute("content")

    sign_in_with_code(page, base, person.username, PIN)
    expect(page.get_by_text("Voulez-vous ajouter ce que vous avez fait à votre compte ?")).to_be_visible()
    click(page, "Oui, ajouter")
    # What the phone still holds under the guest's key (the item the step page queues offline).
    page.evaluate("""([id, learner, module, step]) => new Promise((resolve, reject) => {
        const open = indexedDB.open("tremplin", 1);
        open.onsuccess = () => {
          const tx = open.result.transaction("queue", "readwrite");
          tx.objectStore("queue").put({ id, learner, module, step, kind: "advance", content_version: "",
                                        at: new Date().toISOString(), n: 1 });
          tx.oncomplete = () => { open.result.close(); resolve(); };
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      })""", [str(item), guest_key, MODULE, step.slug])
    go(page, f"{base}/apprendre/")  # a page from the network: it names the guest who joined this account
    for _ in range(75):  # the worker hands the item to the account and sends it (polled: at most 15 s)
        if LearningEvent.objects.filter(pk=item, learner=person).exists():
            break
        page.wait_for_timeout(200)
    assert LearningEvent.objects.filter(pk=item, learner=person, object_id=f"{MODULE}/{step.slug}").exists()
    assert not LearningEvent.objects.exclude(learner=person).exists()
