from playwright.sync_api import expect

from tremplin.accounts.services import learner_create

from .steps import click, go, sign_in_with_code


def test_the_cv_preview_follows_what_the_learner_types_before_saving(page, live_server, transactional_db):
    karim = learner_create(first_name="Karim", pin="1357").user
    sign_in_with_code(page, live_server.url, karim.username, "1357")
    go(page, f"{live_server.url}/apprendre/mon-cv/metier/")
    page.get_by_text("Aperçu de mon CV").click()
    page.get_by_label("Le métier que vous cherchez").fill("Apprenti boulanger")
    expect(page.locator("#cv-live")).to_contain_text("Apprenti boulanger")
    page.axe.check()
    click(page, "Enregistrer")
    go(page, f"{live_server.url}/apprendre/mon-cv/apercu/")
    expect(page.get_by_text("Apprenti boulanger")).to_be_visible()
