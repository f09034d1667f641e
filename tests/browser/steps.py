"""What a person does in the browser, each page checked by axe as it arrives."""

from tremplin.accounts.codes import format_code

from ..factories import PASSWORD


def go(page, url):
    page.goto(url)
    page.axe.check()


def click(page, name, role="button"):
    page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state("load")
    page.axe.check()


def sign_in_with_code(page, base, code, pin):
    go(page, f"{base}/connexion/")
    page.get_by_label("Votre code personnel").fill(format_code(code).lower())
    page.get_by_label("Votre code secret (4 chiffres)").fill(pin)
    click(page, "Entrer")


def sign_in_as_staff(page, base, email, password=PASSWORD):
    go(page, f"{base}/connexion/equipe/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    click(page, "Se connecter")
