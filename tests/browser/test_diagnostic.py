"""A learner takes the diagnostic on a phone, to the end, with axe on every page; once without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tremplin.accounts.services import learner_create

from .steps import click, go, sign_in_with_code


@pytest.fixture
def karim(transactional_db, content, real_bank):
    return learner_create(first_name="Karim", pin="2580").user


def answer_current_question(page, knows: bool):
    """Answer like a beginner who knows only what is easy: the first choice, or « Je ne sais pas »."""
    if not knows:
        click(page, "Je ne sais pas")
        return
    form = page.locator("main form")
    if form.locator("select").count():
        for i, select in enumerate(form.locator("select").all()):
            select.select_option(str(i + 1))
    elif form.locator("input[type=text]").count():
        form.locator("input[type=text]").fill("0612345678")
    else:
        form.locator("input[type=radio], input[type=checkbox]").first.check()
    click(page, "Valider")


KINDS = {"single", "tap", "multiple", "order", "text"}  # the bank's kinds of question (content/diagnostic/fr)


def question_kind(page) -> str:
    form = page.locator("main form")
    if form.locator("select").count():
        return "order"
    if form.locator("input[type=text]").count():
        return "text"
    if form.locator("input[type=checkbox]").count():
        return "multiple"
    return "tap" if page.get_by_text("Choisissez le numéro de la zone.").count() else "single"


def take_the_diagnostic(page, base):
    click(page, "Faire le point", role="link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Faire le point sur ce que vous savez faire")
    click(page, "Commencer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quelques questions sur vous")
    page.get_by_label("Un téléphone avec écran tactile (smartphone)").check()
    page.get_by_label("Personne").check()
    click(page, "Continuer")
    question_url, kinds = page.url, set()
    for n in range(1, 26):
        expect(page.get_by_text(f"Question {n} ·")).to_be_visible()
        # Keyboard and screen reader: the question is the legend of a group of labelled fields.
        expect(page.locator("fieldset legend")).to_be_visible()
        kinds.add(question_kind(page))
        answer_current_question(page, knows=n % 3 == 0)
        if page.get_by_role("heading", level=1, name="Vos résultats").count() or kinds >= KINDS:
            break
    print(f"\n[diagnostic] {n} questions drawn on the phone, kinds {sorted(kinds)}")
    # Every kind of question has been drawn and checked by axe on the phone; the rest are the same pages with other
    # words: answered « Je ne sais pas » in the same session, then the results are drawn.
    skip_the_remaining_questions(page, question_url)
    page.goto(question_url)
    page.axe.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos résultats")
    expect(page.get_by_text(re.compile(r"^Niveau : "))).to_have_count(8)
    expect(page.get_by_text("Ce que vous pouvez apprendre").first).to_be_visible()


def test_a_learner_takes_the_diagnostic_on_a_phone_and_sees_levels_and_proposed_modules(page, live_server, karim):
    sign_in_with_code(page, live_server.url, karim.username, "2580")
    take_the_diagnostic(page, live_server.url)
    expect(page.get_by_text("Pour bien commencer, faites-vous accompagner.")).to_be_visible()
    click(page, re.compile("Mes parcours"), role="link")
    expect(page.get_by_text("Les modules conseillés pour vous")).to_be_visible()
    expect(page.get_by_role("link", name="Utiliser l'écran tactile")).to_be_visible()
    click(page, "Voir mes résultats", role="link")
    expect(page.get_by_text(re.compile(r"^Niveau : "))).to_have_count(8)


def focused(page) -> dict:
    """What has the keyboard focus: tag, type, visible text, and whether it is a field of the question."""
    return page.evaluate("""() => {
        const e = document.activeElement;
        return {tag: e.tagName.toLowerCase(), type: e.type || "", text: (e.innerText || "").trim(),
                checked: !!e.checked, in_question: !!e.closest("main form fieldset")};
    }""")


def tab_to(page, wanted, limit=60) -> dict:
    """Press Tab until the focus is on what ``wanted`` accepts (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted(now):
            return now
    raise AssertionError("Tab never reaches it")


def answer_with_the_keyboard_only(page):
    """Tab into the question, pick with Space (or type), Tab to « Valider », press Enter. No mouse, no click()."""
    field = tab_to(page, lambda f: f["in_question"])
    if field["type"] in ("radio", "checkbox"):
        page.keyboard.press("Space")
        assert focused(page)["checked"], "Space did not tick the choice"
    elif field["tag"] == "select":  # order: one number per line, typed into each list in turn
        count = page.locator("main form select").count()
        for rank in range(1, count + 1):
            page.keyboard.type(str(rank))
            if rank < count:
                tab_to(page, lambda f: f["tag"] == "select")
    else:
        page.keyboard.type("0612345678")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Valider")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")


def skip_the_remaining_questions(page, url):
    """« Je ne sais pas » to every question left, posted with the browser's own cookies (no page drawn)."""
    for _ in range(30):
        html = page.request.get(url).text()
        if "Vos résultats" in html:
            return
        fields = {name: re.search(rf'name="{name}" value="([^"]*)"', html)[1]
                  for name in ("csrfmiddlewaretoken", "item", "version")}
        assert page.request.post(url, form={**fields, "action": "skip"}).ok
    raise AssertionError("le positionnement ne se termine pas")


def test_the_diagnostic_works_with_javascript_disabled_and_the_keyboard(nojs_page, live_server, karim):
    from tremplin.diagnostic.models import DiagnosticAnswer

    page = nojs_page
    sign_in_with_code(page, live_server.url, karim.username, "2580")
    click(page, "Faire le point", role="link")
    click(page, "Commencer")
    click(page, "Passer ces questions")
    expect(page.get_by_text("Question 1 ·")).to_be_visible()
    question_url = page.url
    # The first question with the keyboard only; Enter sends the answer and the next question comes.
    answer_with_the_keyboard_only(page)
    expect(page.get_by_text("Question 2 ·")).to_be_visible()
    assert page.url == question_url
    page.axe.check()
    [first] = DiagnosticAnswer.objects.filter(session__learner=karim)
    assert first.position == 0 and not first.response.get("skipped"), first.response
    if "ranks" in first.response:  # an order question: every list got its own number from the keyboard
        assert sorted(first.response["ranks"]) == list(range(1, len(first.response["ranks"]) + 1))
    for n in range(2, 8):
        answer_current_question(page, knows=n % 2 == 0)
    # The phone test above answers all 25 questions in the browser; here the question page without JavaScript is
    # the same template each time, so the rest go through the same session without drawing them.
    skip_the_remaining_questions(page, question_url)
    go(page, question_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos résultats")
    expect(page.get_by_text(re.compile(r"^Niveau : "))).to_have_count(8)
    click(page, re.compile("Mes parcours"), role="link")
    expect(page.get_by_text("Les modules conseillés pour vous")).to_be_visible()
