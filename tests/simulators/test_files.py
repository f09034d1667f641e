import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import FIXTURE_CONTENT
from tremplin.catalog.content_files import read_curriculum
from tremplin.catalog.services import ContentInvalid, curriculum_load
from tremplin.simulators.files import read_simulators
from tremplin.simulators.models import Simulator
from tremplin.simulators.services import SimulatorsInvalid, definition_of, simulators_load

from .conftest import SIMULATORS_ROOT
from .helpers import right_path

EXPECTED = {"creer-adresse-email", "connexion-identicle", "inscription-emploi", "actualisation-mensuelle",
            "declaration-trimestrielle-caf", "declaration-revenus", "compte-assursante", "rendez-vous-medical",
            "carte-identite-ants", "candidature-en-ligne", "reperer-arnaque"}


def test_the_eleven_simulators_are_valid_and_each_can_be_completed_on_its_right_path():
    loaded, errors = read_simulators(SIMULATORS_ROOT)
    assert errors == []
    assert {s.data.slug for s in loaded} == EXPECTED
    for sim in loaded:
        assert len(right_path(sim.data)) >= 2


def test_every_simulator_names_the_real_site_it_imitates_and_marks_itself_fictional():
    loaded, _ = read_simulators(SIMULATORS_ROOT)
    with_fiche = [s for s in loaded if s.data.imitates.service_public_id]
    assert len(with_fiche) >= 7
    for sim in loaded:
        assert sim.data.site.address.endswith(".exemple")
        assert "rien n'est envoyé" in sim.data.persona.scenario


def test_every_field_and_every_right_button_has_a_hint():
    loaded, _ = read_simulators(SIMULATORS_ROOT)
    for sim in loaded:
        for screen in sim.data.screens:
            assert all(f.hint for f in screen.fields)
            assert all(a.hint for a in screen.actions if not a.wrong)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    root = tmp_path / "simulators" / "fr"
    root.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(text, encoding="utf-8")
    return root


def _copy_of(slug: str, tmp_path: Path, replace: tuple[str, str] | None = None) -> Path:
    text = (SIMULATORS_ROOT / f"{slug}.yaml").read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1], 1)
    return _write(tmp_path, f"{slug}.yaml", text)


@pytest.mark.parametrize(("old", "new", "field", "message"), [
    ("        next: connexion\n", "        next: nulle-part\n", "screens.0.actions.0.next", "écran inconnu « nulle-part »"),
    ("  name: Emploi Service\n", "  name: France Travail\n", "site.name", "doit être inventé"),
    ("  address: emploi-service.exemple\n", "  address: francetravail.fr\n", "site.address", ".exemple"),
    ("        hint: Appuyez sur « Continuer ». Un code va arriver par SMS.\n", "", "screens.3.actions.0", "hint"),
    ("        expect: jeudi\n", "        expect: samedi\n", "screens.9.fields.0", "choix inconnu"),
    ("        pattern: '^\\d{6}$'\n", "        pattern: '^(\\d{6}$'\n", "screens.4.fields.0", "expression régulière"),
])
def test_a_malformed_simulator_is_rejected_naming_the_file_and_the_field(tmp_path, old, new, field, message):
    root = _copy_of("inscription-emploi", tmp_path, (old, new))
    loaded, errors = read_simulators(root)
    assert loaded == []
    assert errors, "aucune erreur"
    text = "\n".join(str(e) for e in errors)
    assert "inscription-emploi.yaml" in text
    assert any(e.field.startswith(field) and message in e.message for e in errors), text


def test_broken_yaml_is_reported_with_its_line(tmp_path):
    root = _write(tmp_path, "casse.yaml", "slug: casse\ntitle: [pas fermé\n")
    _, errors = read_simulators(root)
    assert errors[0].path.endswith("casse.yaml") and errors[0].line


@pytest.mark.django_db
def test_load_simulators_is_all_or_nothing_and_idempotent(tmp_path):
    _copy_of("reperer-arnaque", tmp_path)
    root = _copy_of("inscription-emploi", tmp_path, ("        next: connexion\n", "        next: nulle-part\n"))
    with pytest.raises(SimulatorsInvalid):
        simulators_load(root=root)
    assert Simulator.objects.count() == 0

    report = simulators_load(root=SIMULATORS_ROOT)
    assert len(report.created) == 11
    again = simulators_load(root=SIMULATORS_ROOT)
    assert again.created == [] and again.updated == [] and len(again.unchanged) == 11
    sim = Simulator.objects.get(slug="inscription-emploi")
    assert definition_of(sim).site.name == "Emploi Service"


@pytest.mark.django_db
def test_a_removed_simulator_is_deactivated_not_deleted(tmp_path):
    simulators_load(root=SIMULATORS_ROOT)
    root = _copy_of("reperer-arnaque", tmp_path)
    report = simulators_load(root=root)
    assert len(report.deactivated) == 10
    assert Simulator.objects.count() == 11
    assert list(Simulator.objects.filter(is_active=True).values_list("slug", flat=True)) == ["reperer-arnaque"]


def _curriculum_naming(tmp_path: Path, slugs: str) -> Path:
    root = tmp_path / "content" / "fr"
    shutil.copytree(FIXTURE_CONTENT, root)
    module = root / "premiers-pas" / "ecran-tactile" / "module.yaml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("\nsteps:", f"\nsimulators: [{slugs}]\nsteps:", 1), encoding="utf-8")
    return root


@pytest.mark.django_db
def test_load_content_rejects_a_module_naming_an_unknown_simulator(tmp_path):
    root = _curriculum_naming(tmp_path, "simulateur-fantome")
    sims = tmp_path / "content" / "simulators" / "fr"
    sims.mkdir(parents=True)
    shutil.copy(SIMULATORS_ROOT / "reperer-arnaque.yaml", sims)
    errors = read_curriculum(root).errors
    assert [(e.field, e.message) for e in errors] == [("simulators.0", "simulateur inconnu : « simulateur-fantome »")]
    assert "ecran-tactile/module.yaml" in errors[0].path
    with pytest.raises(ContentInvalid):
        curriculum_load(root=root)
    with pytest.raises(CommandError):
        call_command("load_content", root=str(root))


@pytest.mark.django_db
def test_load_content_accepts_a_module_naming_an_existing_simulator(tmp_path):
    root = _curriculum_naming(tmp_path, "reperer-arnaque")
    sims = tmp_path / "content" / "simulators" / "fr"
    sims.mkdir(parents=True)
    shutil.copy(SIMULATORS_ROOT / "reperer-arnaque.yaml", sims)
    assert read_curriculum(root).errors == []
    call_command("load_content", root=str(root))
    call_command("load_simulators", root=str(sims), content_root=str(root))
    assert Simulator.objects.filter(slug="reperer-arnaque", is_active=True).exists()


@pytest.mark.django_db
def test_load_simulators_command_also_rejects_unknown_simulators_named_by_modules(tmp_path):
    root = _curriculum_naming(tmp_path, "simulateur-fantome")
    sims = tmp_path / "content" / "simulators" / "fr"
    sims.mkdir(parents=True)
    shutil.copy(SIMULATORS_ROOT / "reperer-arnaque.yaml", sims)
    with pytest.raises(CommandError, match="rien n'a été chargé"):
        call_command("load_simulators", root=str(sims), content_root=str(root))
    assert Simulator.objects.count() == 0


def test_the_real_curriculum_names_only_existing_simulators():
    from django.conf import settings

    assert read_curriculum(Path(settings.CONTENT_ROOT)).errors == []
