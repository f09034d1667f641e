"""Simulators in a real phone-sized browser (360×640), axe-core on every page.

The France Travail-like registration is done in guided mode then in check mode, and both attempts
show in « Mes entraînements ». Three more simulators are driven with wrong inputs first, each in another mode,
one run with JavaScript off, one with the keyboard alone.
"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tremplin.accounts.services import learner_create
from tremplin.simulators.files import read_simulator
from tremplin.simulators.schema import FieldDef, Screen, SimulatorFile

from ..simulators.helpers import right_path, right_value
from .steps import click, go, sign_in_with_code

SIMS = settings.BASE_DIR / "content" / "simulators" / "fr"


@pytest.fixture
def samia(transactional_db, real_simulators):
    return learner_create(first_name="Samia", pin="2580").user


def definition(slug: str) -> SimulatorFile:
    return read_simulator(SIMS / f"{slug}.yaml")[0].data


def label_of(text: str):
    return re.compile("^" + re.escape(text) + r"( \*)?$")


def fill_field(page, f: FieldDef, value=None):
    value = right_value(f) if value is None else value
    if f.kind == "checkbox":
        page.get_by_label(f.label, exact=True).check()
    elif f.kind == "upload":
        page.get_by_role("radio", name=value).check()
    elif f.kind == "choice":
        labels = {c.value: c.label for c in f.choices}
        group = page.get_by_role("group", name=label_of(f.label))
        for v in value if isinstance(value, list) else [value]:
            group.get_by_label(labels[v], exact=True).check()
    else:
        page.get_by_label(label_of(f.label)).fill(value)


def fill_screen(page, sim: SimulatorFile, screen: Screen):
    for f in screen.fields:
        source = f if f.same_as is None else next(x for x in screen.fields if x.name == f.same_as)
        fill_field(page, f, right_value(source))
    main = next(a for a in screen.actions if not a.wrong)
    click(page, main.label)


def play(page, sim: SimulatorFile, start_at: str | None = None):
    """Play the right path from the current screen (or from `start_at`) to the result page."""
    path = right_path(sim)
    if start_at:
        path = path[[s.slug for s in path].index(start_at):]
    for screen in path:
        expect(page.get_by_role("heading", level=2).first).to_have_text(screen.title)
        expect(page.get_by_text("Entraînement — rien n'est envoyé")).to_be_visible()
        fill_screen(page, sim, screen)


def open_simulator(page, base, title, mode):
    go(page, f"{base}/apprendre/simulateurs/")
    click(page, re.compile(re.escape(title)), role="link")
    expect(page.get_by_text(re.compile(r"^Vous êtes "))).to_be_visible()
    click(page, re.compile("^" + mode))


def test_the_registration_is_done_guided_then_checked_and_both_attempts_show_in_my_trainings(page, live_server, samia):
    base = live_server.url
    sign_in_with_code(page, base, samia.username, "2580")
    sim = definition("inscription-emploi")
    open_simulator(page, base, "S'inscrire comme demandeur d'emploi", "Guidé")

    # Guided: the next button is highlighted, with a hint bubble that can be read aloud.
    target = page.locator(".sim-target")
    expect(target).to_have_text("S'inscrire, se réinscrire")
    expect(page.get_by_text("Appuyez sur le bouton « S'inscrire, se réinscrire »")).to_be_visible()
    expect(page.get_by_role("button", name="Écouter")).to_be_visible()
    click(page, "S'inscrire, se réinscrire")
    click(page, "Créer mon espace")

    # The highlight and its bubble follow the field in use.
    current = page.locator(".sim-bubble:not(.sim-bubble-quiet)")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Regardez la carte Vitale de Samia")
    page.get_by_label(label_of("Nom de naissance")).focus()
    expect(current).to_contain_text("Écrivez le nom de Samia, comme sur sa carte d'identité.")
    expect(page.locator(".sim-target")).to_have_attribute("id", "f-nom")

    # Wrong inputs first: a real-looking social security number, a script tag, an impossible date.
    page.get_by_label(label_of("Numéro de sécurité sociale")).fill("1 84 12 75 108 042")
    page.get_by_label(label_of("Nom de naissance")).fill("<script>alert(1)</script>")
    page.get_by_label(label_of("Prénom")).fill("Samia 🙂")
    page.get_by_label(label_of("Date de naissance")).fill("31/02/1992")
    click(page, "Continuer")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Le formulaire contient 4 erreurs")
    expect(alert).to_be_focused()
    expect(page.get_by_text("Ne tapez jamais vos vrais numéros")).to_be_visible()
    expect(page.get_by_label(label_of("Numéro de sécurité sociale"))).to_have_value("")
    expect(page.get_by_text("Le nom ne peut contenir que des lettres")).to_be_visible()
    expect(page.get_by_text("Écrivez la date sous la forme JJ/MM/AAAA")).to_be_visible()
    play(page, sim, start_at="identite")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bravo, vous avez terminé !")
    expect(page.get_by_text("1 erreur", exact=True)).to_be_visible()

    # Check mode: no hint, one wrong button, then a score.
    open_simulator(page, base, "S'inscrire comme demandeur d'emploi", "Vérification")
    expect(page.locator(".sim-bubble")).to_have_count(0)
    expect(page.get_by_role("button", name="Un indice ?")).to_have_count(0)
    click(page, "Voir les offres d'emploi")
    expect(page.get_by_role("alert")).to_contain_text("Ce bouton montre les offres d'emploi")
    play(page, sim)
    expect(page.get_by_text("Votre score : 90 sur 100")).to_be_visible()
    expect(page.get_by_text("Réussi.")).to_be_visible()

    go(page, f"{base}/apprendre/simulateurs/")
    trainings = page.locator(".sim-attempts li")
    expect(trainings).to_have_count(2)
    expect(trainings.nth(0)).to_contain_text("mode Vérification")
    expect(trainings.nth(0)).to_contain_text("Score : 90 sur 100")
    expect(trainings.nth(1)).to_contain_text("mode Guidé")
    expect(trainings.nth(1)).to_contain_text("Terminé")


WRONG_FIRST = {
    # slug: (title on the list, screen where the mistake is made, how, the site's message, the hint)
    "reperer-arnaque": ("Repérer l'arnaque", "message-1", lambda page: click(page, "Message fiable"),
                        "Attention : c'est une arnaque. La carte Vitale est gratuite.",
                        "La carte Vitale est gratuite, le message presse"),
    "declaration-trimestrielle-caf": ("déclaration trimestrielle", "salaires", None,
                                      "Ce montant ne correspond pas au montant net social de la fiche de paie de septembre.",
                                      "La fiche de paie de septembre dit 1 312 €"),
    "creer-adresse-email": ("Créer une adresse e-mail", "adresse", None,
                            "Cette adresse est déjà prise. Essayez-en une autre.",
                            "Essayez d'abord karim.haddad."),
}


def _wrong_identifiant(page):
    page.get_by_label(label_of("Adresse (avant @courriel-eclair.exemple)")).fill("karim.haddad")
    click(page, "Suivant")


def _wrong_september(page):
    page.get_by_label(label_of("Août (montant net social, en euros)")).fill("1245")
    page.get_by_label(label_of("Octobre (montant net social, en euros)")).fill("1280")
    click(page, "Suivant")  # September still shows the wrong pre-filled 1190


MISTAKES = {"creer-adresse-email": _wrong_identifiant, "declaration-trimestrielle-caf": _wrong_september}


# A Latin square, not the whole 3 × 3 grid: each simulator once and each mode once in the browser, where a page
# costs a second and an axe run. Every simulator in every mode, with its hints and mistakes, is played through the
# test client in tests/simulators/test_views.py.
@pytest.mark.parametrize(("slug", "mode"), [("reperer-arnaque", "Guidé"),
                                            ("declaration-trimestrielle-caf", "Entraînement"),
                                            ("creer-adresse-email", "Vérification")])
def test_three_simulators_each_in_another_mode_with_a_mistake_and_its_message(page, live_server, samia, slug, mode):
    base = live_server.url
    title, where, _how, message, hint = WRONG_FIRST[slug]
    sim = definition(slug)
    sign_in_with_code(page, base, samia.username, "2580")
    open_simulator(page, base, title, mode)
    path = right_path(sim)
    index = [s.slug for s in path].index(where)
    for screen in path[:index]:
        fill_screen(page, sim, screen)
    if mode == "Entraînement":
        click(page, "Un indice ?")
        expect(page.get_by_text(hint)).to_be_visible()
    (MISTAKES.get(slug) or WRONG_FIRST[slug][2])(page)
    expect(page.get_by_role("alert")).to_contain_text(message if slug == "reperer-arnaque" else "erreur")
    expect(page.get_by_text(message).first).to_be_visible()
    play(page, sim, start_at=where)
    if mode == "Vérification":
        expect(page.get_by_text(re.compile(r"Votre score : 90 sur 100"))).to_be_visible()
    else:
        expect(page.get_by_role("heading", level=1)).to_have_text("Bravo, vous avez terminé !")
        expect(page.get_by_text("1 erreur", exact=True)).to_be_visible()
        if mode == "Entraînement":
            expect(page.get_by_text("1 indice demandé")).to_be_visible()


def test_practice_works_with_javascript_disabled(nojs_page, live_server, samia):
    page = nojs_page
    base = live_server.url
    sim = definition("inscription-emploi")
    sign_in_with_code(page, base, samia.username, "2580")
    open_simulator(page, base, "S'inscrire comme demandeur d'emploi", "Entraînement")
    path = right_path(sim)
    for screen in path[:4]:
        fill_screen(page, sim, screen)
    # The SMS code arrives in a pretend phone notification.
    expect(page.get_by_role("status")).to_contain_text("votre code de vérification est 482913")
    page.get_by_label(label_of("Code reçu par SMS")).fill("111111")
    click(page, "Valider le code")
    expect(page.get_by_text("Code incorrect. Vérifiez le SMS et réessayez.")).to_be_visible()
    click(page, "Un indice ?")
    expect(page.get_by_text("Lisez le SMS arrivé en haut de l'écran.")).to_be_visible()
    expect(page.get_by_role("button", name="Écouter")).to_have_count(0)  # hidden: no speech without JS
    play(page, sim, start_at="verification")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bravo, vous avez terminé !")
    expect(page.get_by_text("1 indice demandé")).to_be_visible()


def test_a_simulator_can_be_done_with_the_keyboard_alone(page, live_server, samia):
    base = live_server.url
    sign_in_with_code(page, base, samia.username, "2580")
    go(page, f"{base}/apprendre/simulateurs/connexion-identicle/")

    def tab_to(locator):
        for _ in range(60):
            page.keyboard.press("Tab")
            if locator.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError("élément jamais atteint au clavier")

    def press(locator, key="Enter"):
        tab_to(locator)
        with page.expect_navigation():
            page.keyboard.press(key)
        page.axe.check()

    press(page.get_by_role("button", name=re.compile("^Guidé")))
    press(page.get_by_role("button", name="S'identifier avec IdentiClé"))
    tab_to(page.get_by_label("Déclaro (comme impots.gouv)"))
    page.keyboard.press("Space")
    press(page.get_by_role("button", name="Continuer", exact=True))
    tab_to(page.get_by_label(label_of("Numéro fiscal")))
    page.keyboard.type("3099999123456")
    tab_to(page.get_by_label(label_of("Mot de passe")))
    page.keyboard.type("Jardin-Saumur-55")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits with the form's first button, « Connexion »
    page.axe.check()
    # An unknown computer: the impots account sends a security code by e-mail (since June 2025).
    tab_to(page.get_by_label(label_of("Code de sécurité reçu par e-mail")))
    page.keyboard.type("264930")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # « Valider »
    page.axe.check()
    press(page.get_by_role("button", name="Continuer sur Mes Démarches Locales"))
    press(page.locator(".sim-site").get_by_role("button", name="Se déconnecter", exact=True), key="Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bravo, vous avez terminé !")
