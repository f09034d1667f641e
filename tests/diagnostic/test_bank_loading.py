import shutil

import pytest
from django.core.management import CommandError, call_command

from tremplin.diagnostic.models import Competence, DiagnosticItem, DiagnosticItemVersion, FrameworkRelease

from .conftest import BANK

pytestmark = pytest.mark.django_db


def test_the_bank_has_8_competences_mapped_to_crcn_and_digcomp_and_over_100_items(bank):
    assert Competence.objects.count() == 8
    assert all(c.crcn and c.digcomp and set(c.levels) == {"debutant", "initie", "autonome", "confirme"}
               for c in Competence.objects.all())
    assert DiagnosticItem.objects.count() >= 100
    for c in Competence.objects.all():
        assert c.items.count() >= 10
    assert len(FrameworkRelease.objects.get().paper_form) == 24


def test_loading_twice_creates_nothing_new(bank):
    call_command("load_diagnostic", root=str(BANK))
    assert DiagnosticItemVersion.objects.count() == DiagnosticItem.objects.count()
    assert FrameworkRelease.objects.count() == 1


def test_an_edited_item_gets_a_new_version_and_the_old_one_is_kept(bank, tmp_path):
    root = tmp_path / "fr"
    shutil.copytree(BANK, root)
    path = root / "items" / "emploi-en-ligne.yaml"
    path.write_text(path.read_text().replace("Quel est le nom du service public", "Quel est le nom de l'organisme public"))
    call_command("load_diagnostic", root=str(root))
    item = DiagnosticItem.objects.get(slug="emploi-france-travail")
    assert item.versions.count() == 2 and "organisme" in item.current.data["prompt"]


def test_a_removed_item_is_deactivated_not_deleted(bank, tmp_path):
    root = tmp_path / "fr"
    shutil.copytree(BANK, root)
    path = root / "items" / "emploi-en-ligne.yaml"
    text = path.read_text()
    start = text.index("  - slug: emploi-reputation")
    end = text.index("  - slug: emploi-espace-candidat")
    path.write_text(text[:start] + text[end:])
    call_command("load_diagnostic", root=str(root))
    assert DiagnosticItem.objects.get(slug="emploi-reputation").is_active is False


def test_an_invalid_file_loads_nothing_and_names_the_file_and_field(db, tmp_path, capsys):
    root = tmp_path / "fr"
    shutil.copytree(BANK, root)
    path = root / "items" / "securite-et-arnaques.yaml"
    path.write_text(path.read_text().replace("level: confirme", "level: expert", 1))
    with pytest.raises(CommandError):
        call_command("load_diagnostic", root=str(root))
    err = capsys.readouterr().err
    assert "securite-et-arnaques.yaml" in err and "items." in err and ".level" in err
    assert DiagnosticItem.objects.count() == 0


def test_recalibrate_command_runs_on_logged_answers(learner_client, bank):
    from .conftest import answer_all

    learner_client.post("/apprendre/positionnement/")
    from tremplin.diagnostic.models import DiagnosticSession

    session = DiagnosticSession.objects.get()
    learner_client.post(f"/apprendre/positionnement/{session.pk}/vous/", {"action": "skip"})
    answer_all(learner_client, session.pk, right=True)
    call_command("recalibrate_diagnostic", min_answers=1)
    moved = DiagnosticItemVersion.objects.filter(calibrated_at__isnull=False)
    assert moved.count() == session.answers.count()
    assert all(v.difficulty <= v.prior_difficulty for v in moved)  # everyone right: items look easier
