"""What a screen reader, a keyboard or a phone with large text meets on learner pages (issue 10, accessibility).

Headings in order, module cards that look like buttons, errors tied to the field they are about, and
« Écouter » offered wherever there is something to read, its state told from the start.
"""

import re
import uuid
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.conftest import page_text
from tests.simulators.test_views import play_right_path
from tremplin.accounts.services import learner_create
from tremplin.diagnostic.models import DiagnosticItemVersion, DiagnosticSession

pytestmark = pytest.mark.django_db

MODULE = "ecran-tactile"


class Elements(HTMLParser):
    """Every start tag of a page, in document order, with its attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def find(self, tag=None, **attrs) -> list[dict]:
        return [a for t, a in self.tags if (tag is None or t == tag)
                and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def by_id(self, element_id: str) -> dict | None:
        return next((a for _t, a in self.tags if a.get("id") == element_id), None)

    def order(self) -> list[str]:
        return [t for t, _a in self.tags]


def elements(response) -> Elements:
    return Elements(response.content.decode())


def assert_tied_to_a_message(page: Elements, field: dict, message: str, html: str):
    assert field.get("aria-invalid") == "true", field
    ids = field.get("aria-describedby", "").split()
    assert ids, field
    described = [i for i in ids if page.by_id(i) is not None]
    assert described == ids, f"aria-describedby vers des id absents : {ids}"
    # One of the described elements holds the message itself.
    texts = [re.search(rf'id="{re.escape(i)}"[^>]*>(.*?)</(?:p|div)>', html, re.S) for i in ids]
    assert any(t and message in t.group(1).replace("&#x27;", "'") for t in texts), (message, ids)


# Headings: a diagnostic question has one, a simulator's result page names itself before the pretend site.

def test_a_diagnostic_question_is_announced_as_a_heading(learner_client, real_bank):
    learner_client.post("/apprendre/positionnement/")
    session = DiagnosticSession.objects.get()
    learner_client.post(f"/apprendre/positionnement/{session.pk}/vous/", {"action": "skip"})
    response = learner_client.get(f"/apprendre/positionnement/{session.pk}/")
    html = response.content.decode()
    assert len(re.findall(r"<h1[ >]", html)) == 1
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    prompt = re.search(r"<legend[^>]*>(.*?)</legend>", html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", heading).strip() in re.sub(r"<[^>]+>", "", prompt)


def test_the_simulator_result_page_has_its_h1_before_the_pretend_sites_h2(learner_client, real_simulators):
    result = learner_client.get(play_right_path(learner_client, "reperer-arnaque", "guided"))
    order = [t for t in elements(result).order() if t in ("h1", "h2")]
    assert "h2" in order, "the end screen of the pretend site is shown"
    assert order[0] == "h1", order


# Module cards: the whole card is a link that says it leads somewhere, with a visible border.

def contrast(a: str, b: str) -> float:
    def luminance(hex_colour):
        hex_colour = hex_colour.lstrip("#")
        if len(hex_colour) == 3:
            hex_colour = "".join(c * 2 for c in hex_colour)
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_module_cards_are_links_with_an_arrow_and_a_border_that_stands_out(client, content):
    response = client.get(reverse("learner:track", args=["premiers-pas"]))
    html = response.content.decode()
    cards = re.findall(r'<a class="item"[^>]*>(.*?)</a>', html, re.S)
    assert cards
    for card in cards:
        assert '<span aria-hidden="true">→</span>' in card, card
    css = open(finders.find("css/learner.css")).read()
    rule = re.search(r"\.item\{([^}]*)\}", css).group(1)
    border = re.search(r"border:[^;]*?(#[0-9a-fA-F]{3,6})", rule).group(1)
    assert contrast(border, "#fff") >= 3, f"bordure des cartes {border} : {contrast(border, '#fff'):.2f}:1"


# Errors tied to their field.

def test_a_quiz_sent_empty_marks_its_choices_invalid_and_points_them_to_the_message(learner_client, content):
    response = learner_client.post(reverse("learner:step", args=[MODULE, 7]),
                                   {"action": "answer", "event_id": str(uuid.uuid4())})
    assert response.status_code == 400
    html = response.content.decode()
    page = Elements(html)
    choices = page.find("input", name="choice")
    assert choices
    for choice in choices:
        assert_tied_to_a_message(page, choice, "Choisissez une réponse", html)


def test_an_expired_form_is_not_blamed_on_the_answer(learner_client, content):
    response = learner_client.post(reverse("learner:step", args=[MODULE, 7]), {"action": "answer", "event_id": "x"})
    assert response.status_code == 400
    assert not Elements(response.content.decode()).find(aria_invalid="true")


def test_a_typing_item_sent_empty_marks_the_box_invalid_and_points_it_to_the_message(learner_client, real_bank):
    learner_client.post("/apprendre/positionnement/")
    session = DiagnosticSession.objects.get()
    learner_client.post(f"/apprendre/positionnement/{session.pk}/vous/", {"action": "skip"})
    typing = DiagnosticItemVersion.objects.filter(kind="text", item__is_active=True).select_related("item").first()
    response = learner_client.post(f"/apprendre/positionnement/{session.pk}/", {
        "item": typing.item.slug, "version": typing.version, "action": "answer", "text": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    page = Elements(html)
    box = page.by_id("text")
    assert box is not None
    message = re.sub(r"<[^>]+>", "", re.search(r'role="alert"[^>]*>(.*?)</p>', html, re.S).group(1)).strip()
    assert_tied_to_a_message(page, box, message, html)


@pytest.mark.parametrize("code_ok", [True, False], ids=["wrong PIN", "unknown code"])
def test_a_wrong_code_or_pin_marks_both_boxes_invalid_and_points_them_to_the_message(client, code_ok):
    samia = learner_create(first_name="Samia", pin="2580").user
    response = client.post(reverse("accounts:learner_login"),
                           {"code": samia.username if code_ok else "ZZZZ-ZZZ", "pin": "1111"})
    html = response.content.decode()
    assert "n'est pas bon" in page_text(response)
    page = Elements(html)
    for field in ("id_code", "id_pin"):
        assert_tied_to_a_message(page, page.by_id(field), "n'est pas bon", html)


# « Écouter »: offered wherever there is something to read, its state told from the start.

def listen_buttons(response) -> list[dict]:
    return [a for a in Elements(response.content.decode()).find("button") if "data-listen" in a]


def assert_offers_listen(response):
    buttons = listen_buttons(response)
    assert buttons, "pas de bouton « Écouter »"
    page = Elements(response.content.decode())
    for button in buttons:
        assert button.get("aria-pressed") == "false", button
        assert page.by_id(button["data-listen"]) is not None, button
        assert button.get("data-none") == "La lecture à voix haute n'est pas disponible sur ce téléphone.", button
        assert page.by_id(button["data-listen"] + "-note") is not None, "no place to say it is unavailable"


def test_listen_is_offered_on_steps_module_completion_diagnostic_and_simulator_scenario(
        learner_client, content, real_bank, real_simulators):
    assert_offers_listen(learner_client.get(reverse("learner:step", args=[MODULE, 1])))
    assert_offers_listen(learner_client.get(reverse("learner:step", args=[MODULE, 7])))
    assert_offers_listen(learner_client.get(reverse("learner:simulator", args=["reperer-arnaque"])))
    learner_client.post("/apprendre/positionnement/")
    session = DiagnosticSession.objects.get()
    learner_client.post(f"/apprendre/positionnement/{session.pk}/vous/", {"action": "skip"})
    assert_offers_listen(learner_client.get(f"/apprendre/positionnement/{session.pk}/"))
    for number in range(1, 11):
        learner_client.post(reverse("learner:step", args=[MODULE, number]), {
            "action": "answer", "event_id": str(uuid.uuid4()), "choice": ["0", "1"],
            "rank_0": "1", "rank_1": "2", "rank_2": "3"})
        learner_client.post(reverse("learner:step", args=[MODULE, number]),
                            {"action": "next", "event_id": str(uuid.uuid4())})
    assert_offers_listen(learner_client.get(reverse("learner:module_complete", args=[MODULE])))
