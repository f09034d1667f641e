"""The curriculum the learner pages show is kept in memory per content release (tremplin/catalog/cache.py): a
new ``load_content`` is seen at once, and so is an edit made outside a load (the admin)."""

import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tremplin.catalog.models import Module, Track
from tremplin.catalog.services import curriculum_load

from ..conftest import FIXTURE_CONTENT, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "fr"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def _edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_reloaded_curriculum_is_seen_on_the_home_and_track_pages_at_once(tree, learner_client):
    curriculum_load(root=tree)
    home, track = reverse("learner:home"), reverse("learner:track", args=["premiers-pas"])
    assert "Premiers pas" in page_text(learner_client.get(home))
    assert "Utiliser l'écran tactile" in page_text(learner_client.get(track))
    with CaptureQueriesContext(connection) as held:
        learner_client.get(home)
    modules_read = [q for q in held.captured_queries if 'FROM "catalog_module"' in q["sql"]]
    assert not modules_read, "the second visit reads the curriculum from memory"

    _edit(tree, "premiers-pas/track.yaml", "title: Premiers pas", "title: Tout premiers pas")
    _edit(tree, "premiers-pas/ecran-tactile/module.yaml", "title: Utiliser l'écran tactile",
          "title: Toucher l'écran")
    curriculum_load(root=tree)

    assert "Tout premiers pas" in page_text(learner_client.get(home))
    assert "Toucher l'écran" in page_text(learner_client.get(track))
    assert "Utiliser l'écran tactile" not in page_text(learner_client.get(track))


def test_a_track_or_module_changed_outside_a_load_is_seen_too(content, learner_client):
    home = reverse("learner:home")
    assert "Parcours d'essai" in page_text(learner_client.get(home))
    track = Track.objects.get(slug="essais")
    track.title = "Parcours renommé"
    track.save()
    assert "Parcours renommé" in page_text(learner_client.get(home))
    module = Module.objects.get(slug="ecran-tactile")
    module.is_active = False
    module.save()
    assert learner_client.get(reverse("learner:track", args=["premiers-pas"])).status_code == 200
    assert "Utiliser l'écran tactile" not in page_text(learner_client.get(reverse("learner:track",
                                                                                  args=["premiers-pas"])))


def test_an_unknown_or_withdrawn_track_is_a_404(content, learner_client):
    assert learner_client.get(reverse("learner:track", args=["nulle-part"])).status_code == 404
    Track.objects.filter(slug="essais").update(is_active=False)
    Track.objects.get(slug="premiers-pas").save()  # any edit through the models renews the catalogue
    assert learner_client.get(reverse("learner:track", args=["essais"])).status_code == 404
