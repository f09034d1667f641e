"""Real-browser tests: Playwright for Python driving Debian's Chromium, with axe-core on every page.

Nothing here skips: a missing browser or axe-core is an error, so CI cannot pass without them.
"""

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("TREMPLIN_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe's run options. Of the assets axe preloads by default (cssom, media), only « media » feeds a rule of these
# tags (no-autoplay-audio); « cssom » feeds css-orientation-lock alone, an experimental rule that runOnly by tag
# never runs, so fetching every stylesheet again on each page would change no result.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"],
               "preload": {"assets": ["media"]}}
PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2, "locale": "fr-FR"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : apt-get install -y chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


_axe_source: list[str] = []


def axe_source() -> str:
    """axe-core's script, read once per test session (and xdist worker)."""
    if not _axe_source:
        if not AXE_JS.exists():
            pytest.fail("axe-core manquant : lancez `npm install` (make test le fait)")
        _axe_source.append(AXE_JS.read_text())
    return _axe_source[0]


def with_axe(context):
    """Every document of ``context`` gets axe-core as it is created (Chromium then compiles it once per
    renderer instead of once per page, as evaluating it after each load did). The site's CSP does not apply
    to such scripts. Returns the context."""
    context.add_init_script(script=axe_source())
    return context


class _CleanPages:
    """Pages axe found clean, by what decides its result: the DOM as serialised, the viewport and the root font
    size. A page whose DOM is the same as one already checked in this run gets the same answer from axe, so it is
    not run twice (the sign-in page, a home page, a step seen again). Values that change on every render and that
    no WCAG rule reads are left out of the comparison: CSRF tokens, hidden fields, nonces. The xdist workers of one
    run share what they found (a folder of the system's temporary folder named after the run's id, one empty file
    per clean page, a few hundred a run); the next run has another id and checks every page again."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
        self.folder = Path(tempfile.gettempdir()) / f"tremplin-axe-{run}" if run.isalnum() else None
        if self.folder is not None:
            self.folder.mkdir(exist_ok=True)

    def __contains__(self, key: str) -> bool:
        return key in self.seen or (self.folder is not None and (self.folder / key).exists())

    def add(self, key: str) -> None:
        self.seen.add(key)
        if self.folder is not None:
            (self.folder / key).touch()


_clean_pages = _CleanPages()
_VOLATILE = re.compile(r'(<input[^>]*type="hidden"[^>]*?)\svalue="[^"]*"|\snonce="[^"]*"')
# Static files seen by the mirror page, kept so that each is fetched from the live server once per session.
_static_files: dict[str, tuple[int, dict, bytes]] = {}


def _page_key(html: str, viewport, font_size: str) -> str:
    body = _VOLATILE.sub(lambda m: m.group(1) or "", html)
    return hashlib.sha256(f"{viewport}|{font_size}|{body}".encode()).hexdigest()


class Axe:
    """Runs axe-core on the current page; remembers every page loaded so none goes unchecked."""

    def __init__(self, page, mirror=None):
        axe_source()
        self.page = page
        # With JavaScript disabled nothing can be evaluated in the page itself: axe then runs on a
        # mirror page that receives the very same DOM, with the site's own scripts blocked.
        self.mirror = mirror
        self.mirrored: dict[str, str] = {}  # what the mirror serves next: url and html
        if mirror is not None:
            mirror.route("**/*", self._serve_mirror)
        self.loaded: list[str] = []
        self.checked: set[str] = set()
        page.on("load", lambda p: self.loaded.append(p.url))

    def _serve_mirror(self, route):
        request = route.request
        if request.url == self.mirrored.get("url") and request.resource_type == "document":
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self.mirrored["html"])
        elif request.resource_type == "script":
            route.abort()
        elif "/static/" in request.url:  # hashed names: the same URL is always the same file
            if request.url not in _static_files:
                response = route.fetch()
                _static_files[request.url] = (response.status, response.headers, response.body())
            status, headers, body = _static_files[request.url]
            route.fulfill(status=status, headers=headers, body=body)
        else:
            route.continue_()

    def check(self):
        page = self.page
        page.wait_for_load_state("load")
        url = page.url
        if self.mirror is None:
            html, font_size = page.evaluate(
                "() => [document.documentElement.outerHTML, getComputedStyle(document.documentElement).fontSize]")
        else:
            html, font_size = page.content(), "mirror"
        key = _page_key(html, page.viewport_size, font_size)
        if key not in _clean_pages:
            if self.mirror is not None:
                self.mirrored.update(url=url, html=html)
                self.mirror.goto(url)
                page = self.mirror
            if not page.evaluate("() => typeof window.axe !== 'undefined'"):
                page.evaluate(axe_source())  # a context a test made itself, without with_axe()
            result = page.evaluate("async (options) => await axe.run(document, options)", AXE_OPTIONS)
            violations = [
                {"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]][:5]}
                for v in result["violations"]]
            assert not violations, f"axe sur {url} :\n{json.dumps(violations, indent=1, ensure_ascii=False)}"
            _clean_pages.add(key)
        self.checked.add(url)

    def assert_all_checked(self):
        unchecked = [u for u in dict.fromkeys(self.loaded) if u not in self.checked and not u.endswith(".pdf")]
        assert not unchecked, f"pages chargées sans contrôle axe : {unchecked}"


def _page(browser, request, **options):
    context = with_axe(browser.new_context(**PHONE, **options))
    context.set_default_timeout(15_000)
    page = context.new_page()
    mirror_context = None
    mirror = None
    if options.get("java_script_enabled") is False:
        mirror_context = with_axe(browser.new_context(**PHONE))
        mirror = mirror_context.new_page()
    errors: list[str] = []
    # A form answered with 400 is expected behaviour; a missing stylesheet, script or image is not.
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    axe = Axe(page, mirror)
    page.axe = axe
    page.console_errors = errors
    yield page
    try:
        if not hasattr(request.node, "rep_call") or request.node.rep_call.passed:
            axe.assert_all_checked()
            assert not errors, f"erreurs dans la console du navigateur : {errors}"
    finally:
        context.close()
        if mirror_context is not None:
            mirror_context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


@pytest.fixture
def page(browser, request, transactional_db):
    yield from _page(browser, request)


@pytest.fixture
def nojs_page(browser, request, transactional_db):
    yield from _page(browser, request, java_script_enabled=False)
