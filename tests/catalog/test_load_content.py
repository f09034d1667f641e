import shutil
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tremplin.catalog.content_files import read_curriculum
from tremplin.catalog.models import Module, Step, Track
from tremplin.catalog.services import ContentInvalid, curriculum_load
from tremplin.progress.enums import ObjectType, Verb
from tremplin.progress.models import ModuleProgress
from tremplin.progress.services import event_record

from ..conftest import FIXTURE_CONTENT

pytestmark = pytest.mark.django_db
MODULE_YAML = "premiers-pas/ecran-tactile/module.yaml"


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "fr"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def edit(root: Path, old: str, new: str, path: str = MODULE_YAML):
    file = root / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))


def test_loading_twice_changes_nothing(tree):
    first = curriculum_load(root=tree)
    second = curriculum_load(root=tree)
    assert sorted(first.created) == ["ecran-tactile", "images-et-ordre"]
    assert second.created == second.updated == []
    assert Module.objects.count() == 2
    assert Step.objects.filter(module__slug="ecran-tactile").count() == 10


def test_a_missing_field_names_the_file_and_the_field_and_loads_nothing(tree):
    edit(tree, "duration_minutes: 10\n", "")
    with pytest.raises(ContentInvalid) as exc:
        curriculum_load(root=tree)
    [error] = exc.value.errors
    assert error.path.endswith(MODULE_YAML)
    assert error.field == "duration_minutes"
    assert not Track.objects.exists() and not Module.objects.exists()


def test_a_duplicated_step_slug_is_reported(tree):
    edit(tree, "slug: appuyer", "slug: ecran")
    errors = read_curriculum(tree).errors
    assert any("ecran" in e.message and "deux fois" in e.message for e in errors)


def test_a_duplicated_module_slug_across_tracks_is_reported(tree):
    shutil.copytree(tree / "premiers-pas" / "ecran-tactile", tree / "essais" / "ecran-tactile")
    edit(tree, "  - images-et-ordre", "  - images-et-ordre\n  - ecran-tactile", "essais/track.yaml")
    errors = read_curriculum(tree).errors
    assert any(e.field == "slug" and "déjà utilisé" in e.message for e in errors)


def test_a_question_with_two_right_answers_for_single_choice_is_refused(tree):
    edit(tree, "      - text: J'appuie très fort pendant 10 secondes.\n",
         "      - text: J'appuie très fort pendant 10 secondes.\n        correct: true\n")
    errors = read_curriculum(tree).errors
    assert [e.field for e in errors] == ["quiz.0"]
    assert "exactement 1 bonne réponse" in errors[0].message


def test_an_svg_with_a_script_is_refused(tree):
    (tree / "premiers-pas/ecran-tactile/glisser.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    errors = read_curriculum(tree).errors
    assert any("pas de script" in e.message for e in errors)


def test_invalid_yaml_reports_the_line(tree):
    (tree / MODULE_YAML).write_text("slug: ecran-tactile\ntitle: [pas fermé\n")
    [error] = read_curriculum(tree).errors
    assert error.line == 3 or error.line == 2


def test_the_command_prints_each_error_and_fails(tree, capsys):
    edit(tree, "duration_minutes: 10\n", "")
    with pytest.raises(CommandError, match="rien n'a été chargé"):
        call_command("load_content", root=str(tree))
    assert "duration_minutes" in capsys.readouterr().err


def test_changing_a_module_keeps_learner_progress(tree, learner):
    curriculum_load(root=tree)
    module = Module.objects.get(slug="ecran-tactile")
    event_record(learner=learner, event_id=uuid.uuid4(), verb=Verb.COMPLETED, object_type=ObjectType.MODULE,
                 object_id=module.slug, module=module)
    # Reorder: a step removed, a new one added, the text changed.
    edit(tree, "  - kind: explanation\n    slug: retour\n", "  - kind: explanation\n    slug: revenir\n")
    report = curriculum_load(root=tree)
    assert report.updated == ["ecran-tactile"]
    assert Step.objects.get(module=module, slug="retour").is_active is False
    assert Step.objects.get(module=module, slug="revenir").is_active is True
    assert ModuleProgress.objects.get(learner=learner, module=module).is_completed


def test_a_module_removed_from_the_files_is_deactivated_not_deleted(tree, learner):
    curriculum_load(root=tree)
    module = Module.objects.get(slug="images-et-ordre")
    event_record(learner=learner, event_id=uuid.uuid4(), verb=Verb.ATTEMPTED, object_type=ObjectType.MODULE,
                 object_id=module.slug, module=module)
    shutil.rmtree(tree / "essais")
    report = curriculum_load(root=tree)
    assert report.deactivated == ["images-et-ordre"]
    module.refresh_from_db()
    assert module.is_active is False
    assert ModuleProgress.objects.filter(module=module).exists()


def test_the_real_curriculum_is_valid():
    from django.conf import settings

    curriculum = read_curriculum(Path(settings.CONTENT_ROOT))
    assert curriculum.errors == []
    assert len(curriculum.modules) >= 32
