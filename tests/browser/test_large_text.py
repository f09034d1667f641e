"""Large text on a phone (issue 10, accessibility 1): every learner page at 200 % text on a 360 px screen.

How the phone's text size is emulated: Chromium's own default font size is doubled (16 → 32 px, through the
DevTools protocol's ``Page.setFontSizes``), which is what the browser's text-size setting changes; Chrome on
Android follows the system's font scale the same way for text sized in rem, em and %, and all of Tremplin's text
is sized so. This keeps the page's own CSS as it is: injecting ``html{font-size:200%}`` would overwrite the
page's root size and hide whether the page honours the setting, and page zoom is another setting (it also
narrows the layout viewport). The viewport stays 360×640, the smallest common Android phone.

On each page: no sideways scrolling (``scrollWidth <= clientWidth``), and on a simulator screen, walking
through it with the Tab key, the focused control is never under the sticky « Entraînement » banner.
Every page also passes axe, as everywhere in tests/browser.
"""

import pytest
from playwright.sync_api import expect

from tremplin.accounts.services import learner_create

from .steps import click, go, sign_in_with_code

SCALE = 2.0  # 200 %


@pytest.fixture
def samia(transactional_db, content, real_bank, real_simulators):
    return learner_create(first_name="Samia", pin="2580").user


def large_text(page, scale=SCALE):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": round(16 * scale), "fixed": round(13 * scale)}})


# The elements wider than the screen, named so that a failure says what to fix.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 0.5) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
      out.push(name + " → " + Math.round(r.right) + "px : " + (el.textContent || "").trim().slice(0, 40));
    }
  }
  // Text can stick out of a box that fits (a long word, an address): look at the lines themselves.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width && r.right > width + 0.5) out.push("texte → " + Math.round(r.right) + "px : " + node.textContent.trim().slice(0, 40));
  }
  return {scroll: document.documentElement.scrollWidth, client: width, out: out.slice(0, 8)};
}"""


def assert_no_sideways_scrolling(page, problems=None):
    """Checks the page; with a list, adds to it instead of stopping, so that one run names every page."""
    found = page.evaluate(OVERFLOW)
    if found["scroll"] > found["client"]:
        problem = f"{page.url} défile de côté ({found['scroll']} px pour {found['client']}) :\n  " + "\n  ".join(found["out"])
        assert problems is not None, problem
        problems.append(problem)


def visit(page, url, problems):
    go(page, url)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "36px"  # 112.5 % of 32 px
    assert_no_sideways_scrolling(page, problems)


# Is the focused control visible, and not under something else (the sticky banner)?
FOCUS_SEEN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + r.width / 2, 1), innerWidth - 1);
  // The top edge and the middle: a banner covering either hides what the learner is about to press.
  for (const y of [r.top + 2, r.top + r.height / 2]) {
    if (y < 0 || y > innerHeight) return "hors de l'écran : " + el.outerHTML.slice(0, 80);
    const hit = document.elementFromPoint(x, y);
    if (!hit || !(hit === el || el.contains(hit) || hit.contains(el) || (el.labels && [...el.labels].some(l => l.contains(hit))))) {
      return "caché par " + (hit ? hit.outerHTML.slice(0, 80) : "rien") + " : " + el.outerHTML.slice(0, 80);
    }
  }
  return null;
}"""


def assert_tabbing_never_hides_the_focus(page, presses=40):
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("main").focus() if page.locator("main[tabindex]").count() else None
    problems = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        problem = page.evaluate(FOCUS_SEEN)
        if problem:
            problems.append(problem)
    assert not problems, "\n".join(problems)


def test_every_learner_page_holds_at_200_percent_text_on_a_360_px_phone(page, live_server, samia):
    base = live_server.url
    problems: list[str] = []

    def check():
        assert_no_sideways_scrolling(page, problems)

    large_text(page)
    visit(page, f"{base}/", problems)
    visit(page, f"{base}/trouver-de-l-aide/", problems)
    visit(page, f"{base}/connexion/", problems)
    click(page, "Entrer")  # sent empty: the errors under the boxes
    check()
    sign_in_with_code(page, base, samia.username, "2580")
    check()  # the learner home, with « Se déconnecter » in the header
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_in_viewport()

    click(page, "Premiers pas", role="link")
    check()
    click(page, "Utiliser l'écran tactile", role="link")
    check()
    visit(page, f"{base}/apprendre/module/ecran-tactile/etape/1/", problems)
    visit(page, f"{base}/apprendre/module/ecran-tactile/etape/10/", problems)  # a quiz putting lines in order
    click(page, "Valider")  # sent empty: the error is shown next to the lines
    check()
    visit(page, f"{base}/apprendre/module/ecran-tactile/etape/9/", problems)  # a quiz with several answers

    visit(page, f"{base}/apprendre/positionnement/", problems)
    click(page, "Commencer")
    check()
    click(page, "Passer ces questions")
    check()  # a diagnostic question

    visit(page, f"{base}/apprendre/mon-cv/", problems)
    visit(page, f"{base}/apprendre/simulateurs/", problems)
    visit(page, f"{base}/apprendre/simulateurs/inscription-emploi/", problems)
    click(page, "Guidé")
    check()
    expect(page.get_by_text("Entraînement — rien n'est envoyé")).to_be_visible()
    click(page, "S'inscrire, se réinscrire")
    click(page, "Créer mon espace")
    check()  # a screen with many fields
    assert_tabbing_never_hides_the_focus(page)
    click(page, "Continuer")  # sent empty: the list of errors
    check()
    # At 200 % the banner would take a quarter of the screen: it scrolls with the page there...
    assert page.locator(".sim-banner").evaluate("b => getComputedStyle(b).position") == "static"
    assert_tabbing_never_hides_the_focus(page)
    # ...and at the normal size it stays on screen, and the focus never lands under it.
    large_text(page, 1.0)
    go(page, page.url)
    assert page.locator(".sim-banner").evaluate("b => getComputedStyle(b).position") == "sticky"
    assert_tabbing_never_hides_the_focus(page)
    assert not problems, "\n".join(problems)
