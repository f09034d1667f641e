"""Property-based fuzz of every form of the product (issue 10, security 6): whatever is typed, never a 500.

The forms are not listed by hand: every named URL of every audience (from the URLconf, with real ids) is opened
as a visitor, a learner and an organisation's admin, and each ``<form>`` found in the pages is read: its action,
its method and its fields (with the values the page offers: hidden tokens, radio buttons, options). So a new
screen's form is fuzzed the day it ships. Hypothesis then fills each form a few times with generated values:
the page's own values, any unicode text, NUL bytes, CR/LF, huge values, numbers out of range, impossible dates,
lists where one value is expected, fields left out; and a file in every file field. Zero 500s, on SQLite and
PostgreSQL (the suite runs on both).

Kept fast: a few examples per form, no example database, the visitor signed in again before each example (a
form may sign out or change the person's PIN).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tremplin.organisations.enums import MembershipRole

from .coaching.world import build_side, side_extras
from .factories import EnrolmentFactory, MembershipFactory
from .test_no_server_errors import VISITORS, _urls

EXAMPLES = 4  # per form; the whole fuzz stays under 20 s

NASTY = st.sampled_from([
    "", " ", "\x00", "a\x00b", "\r\nX-Injected: 1", "😀🇫🇷\u200d", "\u202eabc", "\ufeff", "%00", "'; DROP TABLE x; --",
    "<script>alert(1)</script>", '=HYPERLINK("http://x")', "-1", "0", "2147483648", "99999999999999999999999",
    "1e309", "NaN", "-0", "3.5", "2026-02-30", "31/02/2026", "00:61", "../../etc/passwd", "/\\evil.example",
    "//evil.example", "http://evil.example/", "javascript:alert(1)", "00000000-0000-0000-0000-000000000000",
])
HUGE = st.builds(lambda n, c: c * n, st.integers(300, 5_000), st.sampled_from(["x", "é", "😀", "\x00", "\r\n"]))
TEXT = st.text(max_size=40)  # any unicode, NUL included (surrogates are not encodable in a request)


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, dict] = field(default_factory=dict)

    def key(self) -> tuple:
        try:
            route = resolve(urlsplit(self.action).path).route
        except Resolver404:
            route = self.action
        return self.method, route, tuple(sorted(self.fields))


class FormReader(HTMLParser):
    """The forms of a page: action, method, and each field with the values the page offers."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = Form(a.get("method", "get").lower(), urljoin(self.page_url, a.get("action") or self.page_url))
            self.forms.append(self.form)
        elif self.form is None or not a.get("name"):
            return
        elif tag in ("input", "button", "textarea"):
            kind = a.get("type", "submit" if tag == "button" else "text").lower()
            spec = self.form.fields.setdefault(a["name"], {"type": kind, "values": []})
            if "value" in a:
                spec["values"].append(a["value"])
        elif tag == "select":
            self.select = self.form.fields.setdefault(a["name"], {"type": "select", "values": []})
        if tag == "option" and self.select is not None and "value" in a:
            self.select["values"].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


FILES = (".pdf", ".csv", ".xlsx", ".svg", ".png", ".webp", ".jpg")


def discover(client: Client, urls: list[str]) -> list[Form]:
    """Every distinct form (same route, method and fields once) of the pages this visitor can open."""
    forms: dict[tuple, Form] = {}
    for url in urls:
        if url.endswith(FILES):
            continue  # a PDF, CSV or image has no form (and a PDF takes long to make)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        reader = FormReader("http://testserver" + url)
        reader.feed(response.content.decode(errors="replace"))
        for form in reader.forms:
            if urlsplit(form.action).netloc not in ("", "testserver"):
                continue  # a link to another site
            form.action = urlsplit(form.action).path
            forms.setdefault(form.key(), form)
    return list(forms.values())


def value_of(spec: dict):
    if spec["type"] == "file":
        return st.builds(lambda data, name: SimpleUploadedFile(name, data), st.binary(max_size=300),
                         st.sampled_from(["a.csv", "a.xlsx", "a\x00.csv", "../../a.csv", "😀.txt"]))
    offered = [st.sampled_from(spec["values"])] if spec["values"] else []
    one = st.one_of(*offered, *offered, TEXT, NASTY, HUGE)
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def data_for(form: Form):
    return st.fixed_dictionaries({}, optional={name: value_of(spec) for name, spec in form.fields.items()})


def extra_pages(client: Client, visitor: str) -> list[str]:
    """Pages past the first of their kind: quiz steps, a simulator screen and a diagnostic question (learner)."""
    if visitor != "learner":
        return []
    pages = [reverse("learner:step", args=["ecran-tactile", n]) for n in (7, 9, 10)]  # one, several, in order
    started = client.post(reverse("learner:simulator_start", args=["inscription-emploi"]), {"mode": "guided"})
    pages.append(started["Location"])
    session = client.post(reverse("learner:diagnostic"))["Location"]
    pages.append(session)  # the profile questions
    client.post(session, {"action": "skip"})
    pages.append(session)  # then a question
    return pages


# How many distinct forms each visitor must at least meet: a discovery that silently finds nothing fails.
AT_LEAST = {"anonymous": 8, "learner": 15, "admin": 30}


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", list(VISITORS))
def test_no_form_answers_generated_input_with_a_server_error(content, real_bank, real_simulators, visitor):
    side = side_extras(build_side("Nous"))
    client = Client(raise_request_exception=False)
    who = {"user": {"anonymous": None, "learner": side.learner, "admin": side.admin}[visitor]}

    def sign_in():
        user = who["user"]
        if user is None:
            return
        if not type(user).objects.filter(pk=user.pk).exists():
            # A form erased the account (« Supprimer mes données »): go on as a new person of the same kind.
            user = (EnrolmentFactory(organisation=side.organisation).learner if visitor == "learner" else
                    MembershipFactory(organisation=side.organisation, role=MembershipRole.ADMIN).user)
            who["user"] = user
        client.force_login(user)

    sign_in()
    urls = _urls(side, VISITORS[visitor])
    urls = [u for u in urls if "\x00" not in u]
    if "join" in VISITORS[visitor]:  # the public links with their real tokens
        urls += [reverse("join:signup", args=[side.signup_link.token]),
                 reverse("join:invitation", args=[side.invitation_token])]
    forms = discover(client, urls + extra_pages(client, visitor))
    assert len(forms) >= AT_LEAST[visitor], [f.key() for f in forms]

    errors = [error for form in forms if (error := fuzz(form, client, sign_in, visitor))]
    assert not errors, "\n".join(errors)


def fuzz(form: Form, client: Client, sign_in, visitor: str) -> str:
    """Fills the form a few times with generated values; the first 500 found (after shrinking), or ""."""
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=data_for(form))
    def send(data):
        with transaction.atomic():  # a database error in one request must not poison the next ones
            sign_in()
            response = (client.post if form.method == "post" else client.get)(form.action, data)
        assert response.status_code < 500, f"{form.method.upper()} {form.action} as {visitor}: {data!r:.400}"

    try:
        send()
    except AssertionError as exc:
        return str(exc).splitlines()[0]
    return ""
