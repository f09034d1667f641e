"""Page-weight budget, measured from real responses: a learner's first visit of a step page."""

import functools
import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tremplin.catalog.models import Module

HTML_BUDGET = 14 * 1024
FIRST_VISIT_BUDGET = 10 * 1024  # the brief: a learner page's first visit ≤ 10 KB on the wire

pytestmark = pytest.mark.django_db


@functools.cache
def wire_size_of_static(url: str) -> int:
    """What whitenoise serves: the gzip variant collectstatic writes (brotli is smaller still)."""
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    with open(path, "rb") as f:
        return len(gzip.compress(f.read(), 9))


def first_visit_weight(client, url):
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html_wire = len(response.content)
    html = gzip.decompress(response.content).decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    assets_wire = sum(wire_size_of_static(a) for a in assets)
    # Illustrations are not in the HTML+CSS+JS budget, but a first visit downloads them too: count them.
    for image in re.findall(r'<img src="(/apprendre/images/[^"]+)"', html):
        if image not in _image_wire:  # the address holds the image's hash: the same address, the same bytes
            _image_wire[image] = len(gzip.compress(client.get(image).content, 9))
        assets_wire += _image_wire[image]
    return html, html_wire, assets, assets_wire


_image_wire: dict[str, int] = {}


def service_worker_wire_size(client) -> int:
    """The service worker is fetched from the second learner page on (or when the learner asks for « Disponible sans
    internet »), never during a first visit: offline.js registers it only when the phone has seen a learner page
    before. It is reported, and a first visit plus the worker still fits the budget. (offline-kit.js is fetched
    only when the learner asks for a download.)"""
    worker = client.get(reverse("learner:service_worker"), HTTP_ACCEPT_ENCODING="gzip")
    assert worker["Content-Encoding"] == "gzip"
    return len(worker.content)


def test_every_step_page_of_the_real_curriculum_fits_the_first_visit_budget(client, learner, capsys, real_content):
    client.force_login(learner)
    worker_wire = service_worker_wire_size(client)
    heaviest = (0, "")
    checked = 0
    for module in Module.objects.filter(is_active=True):
        for number in range(1, module.step_count + 1):
            url = reverse("learner:step", args=[module.slug, number])
            html, html_wire, assets, assets_wire = first_visit_weight(client, url)
            assert html_wire <= HTML_BUDGET, url
            assert len(html.encode()) <= HTML_BUDGET, f"{url}: {len(html.encode())} octets de HTML"
            assert any(a.endswith("js/offline.js") for a in assets), url  # the offline script is measured
            assert html_wire + assets_wire + worker_wire <= FIRST_VISIT_BUDGET, url  # even with the worker
            assert not re.search(r"@font-face|fonts\.googleapis", html)
            heaviest = max(heaviest, (html_wire + assets_wire, url))
            checked += 1
    assert checked > 300  # every step page of the 41 modules, illustrations included in the weight
    with capsys.disabled():
        print(f"\n[page weight] {checked} step pages; heaviest first visit {heaviest[0]} B on the wire "
              f"(+ {worker_wire} B of service worker from the second page on): {heaviest[1]}")


def test_the_step_page_weight_is_reported(client, learner, capsys, real_content):
    client.force_login(learner)
    url = reverse("learner:step", args=["ecran-tactile", 1])
    html, html_wire, assets, assets_wire = first_visit_weight(client, url)
    with capsys.disabled():
        print(f"\n[page weight] {url}: HTML {len(html.encode())} B raw / {html_wire} B gzip; "
              f"CSS+JS+images {assets_wire} B gzip ({', '.join(assets)}); first visit {html_wire + assets_wire} B")
    assert "css/learner.css" in " ".join(assets)
    assert "js/offline.js" in " ".join(assets)  # the offline script is in the first visit's weight
    worker_wire = service_worker_wire_size(client)
    kit = wire_size_of_static(settings.STATIC_URL + "js/offline-kit.js")
    with capsys.disabled():
        print(f"[page weight] offline: js/offline.js {wire_size_of_static(settings.STATIC_URL + 'js/offline.js')} B "
              f"(in the figure above), sw.js {worker_wire} B from the second page on; js/offline-kit.js {kit} B only when "
              f"asked")
    assert html_wire + assets_wire + worker_wire <= FIRST_VISIT_BUDGET


TRACK_DOWNLOAD_BUDGET = 2 * 1024 * 1024  # the test curriculum's track; real tracks: docs/areas/offline.md


def test_a_downloaded_track_size_is_reported_and_stays_in_its_budget(learner_client, capsys, content):
    """What « Disponible sans internet » announces for a whole track: the ``bytes`` of its download manifest."""
    manifest = learner_client.get("/api/tracks/premiers-pas/manifest").json()
    with capsys.disabled():
        print(f"\n[page weight] track premiers-pas (test curriculum) offline: {manifest['bytes']} B, "
              f"{len(manifest['urls'])} files, {sum('/ecouter/' in u for u in manifest['urls'])} sounds")
    assert 0 < manifest["bytes"] <= TRACK_DOWNLOAD_BUDGET


def test_the_other_learner_pages_fit_the_budget_too(client, learner, capsys, real_content):
    client.force_login(learner)
    urls = [reverse("learner:home"), reverse("learner:track", args=["demarches-en-ligne"]),
            reverse("learner:module", args=["france-travail-inscription"]), reverse("learner:simulators"),
            reverse("learner:cv_home"), reverse("learner:account"), reverse("learner:account_erase"),
            ]
    for url in urls:
        html, html_wire, _assets, assets_wire = first_visit_weight(client, url)
        assert len(html.encode()) <= HTML_BUDGET, url
        assert html_wire + assets_wire <= FIRST_VISIT_BUDGET, url
        with capsys.disabled():
            print(f"\n[page weight] {url}: HTML {len(html.encode())} B raw, first visit {html_wire + assets_wire} B")
    client.logout()
    html, html_wire, _assets, assets_wire = first_visit_weight(client, "/connexion/")
    assert len(html.encode()) <= HTML_BUDGET and html_wire + assets_wire <= FIRST_VISIT_BUDGET

