import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tremplin.audit.models import AuditEntry
from tremplin.catalog.models import Module
from tremplin.coaching.services import assignment_create, group_create
from tremplin.progress.enums import ObjectType, ProgressStatus, Verb
from tremplin.progress.models import ModuleProgress
from tremplin.progress.services import event_record

from ..coaching.world import build_side
from ..conftest import page_text
from ..factories import EnrolmentFactory, LearnerFactory

pytestmark = pytest.mark.django_db


def _grid_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("trainer:followup_grid"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_grid_shows_each_learner_and_assigned_module_with_its_status(trainer_client, side):
    module = side.assignment.module
    ModuleProgress.objects.create(learner=side.learner, module=module, status=ProgressStatus.IN_PROGRESS,
                                  last_activity_at=timezone.now() - dt.timedelta(days=20))
    text = page_text(trainer_client.get(reverse("trainer:followup_grid")))
    assert side.learner.display_name in text and module.title in text
    # « Besoin d'aide » is also in the rule stated above the grid and in the sort menu: read the cell.
    assert cell_statuses(text) == ["status-help:Besoin d'aide"]
    assert "rien fait depuis 14 jours" in text  # the rule is stated on the page
    ModuleProgress.objects.filter(learner=side.learner).update(last_activity_at=timezone.now() - dt.timedelta(days=3))
    text = page_text(trainer_client.get(reverse("trainer:followup_grid")))
    assert cell_statuses(text) == ["status-doing:En cours"]


def cell_statuses(html: str) -> list[str]:
    """The status shown in each cell of the grid's body, as ``class:label``."""
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    return [f"{cls}:{label}" for cls, label in re.findall(r'<span class="(status-[a-z]+)">([^<]*)</span>', body)]


def test_the_grid_needs_the_same_number_of_queries_for_3_or_30_learners(trainer_client, side):
    modules = list(Module.objects.all())
    track = modules[0].track
    assignment_create(organisation=side.organisation, created_by=side.trainer, track=track, group=side.group)
    few = _grid_queries(trainer_client)
    extra = [EnrolmentFactory(organisation=side.organisation).learner for _ in range(27)]
    group = group_create(organisation=side.organisation, name="Grand groupe", members=extra,
                         created_by=side.trainer)
    for m in modules:
        assignment_create(organisation=side.organisation, created_by=side.trainer, module=m, group=group)
    for learner in extra[:10]:
        ModuleProgress.objects.create(learner=learner, module=modules[0], status=ProgressStatus.COMPLETED,
                                      last_activity_at=timezone.now())
    many = _grid_queries(trainer_client)
    assert many == few
    assert many <= 14


def test_the_grid_filters_by_group_and_status_and_sorts(trainer_client, side):
    other = EnrolmentFactory(organisation=side.organisation).learner
    module = side.assignment.module
    assignment_create(organisation=side.organisation, created_by=side.trainer, module=module, learner=other)
    ModuleProgress.objects.create(learner=other, module=module, status=ProgressStatus.COMPLETED,
                                  last_activity_at=timezone.now())
    by_group = page_text(trainer_client.get(reverse("trainer:followup_grid"), {"groupe": side.group.pk}))
    assert side.learner.display_name in by_group and other.display_name not in by_group
    done = page_text(trainer_client.get(reverse("trainer:followup_grid"), {"statut": "completed"}))
    assert other.display_name in done and side.learner.display_name not in done
    recent_first = page_text(trainer_client.get(reverse("trainer:followup_grid"), {"tri": "activity"}))
    assert recent_first.index(other.display_name) < recent_first.index(side.learner.display_name)
    odd = trainer_client.get(reverse("trainer:followup_grid"), {"groupe": "nope", "statut": "x", "tri": "y"})
    assert odd.status_code == 200


def test_the_grid_export_is_a_csv_and_is_audited(trainer_client, side):
    response = trainer_client.get(reverse("trainer:followup_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["apprenant_id", "prenom", "nom", "groupes", "derniere_activite"]
    assert rows[0][5] == side.assignment.module.slug
    assert rows[1][0] == str(side.learner.pk) and rows[1][5] == "not_started"
    assert AuditEntry.objects.filter(action="followup.export", actor=side.trainer,
                                     organisation_id=side.organisation.pk).count() == 1


def test_opening_a_learner_file_shows_progress_notes_records_and_is_audited(trainer_client, side):
    event_record(learner=side.learner, event_id="6b0c5bb0-6f66-4a38-9d1a-2f3a1cfc3b10", verb=Verb.ATTEMPTED,
                 object_type=ObjectType.SIMULATOR, object_id="simulateur-ameli", success=False)
    response = trainer_client.get(reverse("trainer:followup_learner", args=[side.learner.pk]))
    text = page_text(response)
    assert side.assignment.module.title in text
    assert "Très motivée." in text
    assert "simulateur-ameli" in text
    assert "Atelier A" in text
    # « Positionnement » is in the navigation of every trainer page: check the section's own sentence.
    assert "<h2>Positionnement</h2>\n<p>Pas encore de positionnement.</p>" in text
    entry = AuditEntry.objects.get(action="learner.view")
    assert entry.actor == side.trainer and entry.target_id == str(side.learner.pk)


def test_a_trainer_adds_a_note_and_an_empty_note_is_refused(trainer_client, side):
    url = reverse("trainer:note_add", args=[side.learner.pk])
    assert trainer_client.post(url, {"text": "A besoin de lunettes pour l'écran."}).status_code == 302
    assert "A besoin de lunettes" in page_text(trainer_client.get(reverse("trainer:followup_learner",
                                                                          args=[side.learner.pk])))
    empty = trainer_client.post(url, {"text": "  "})
    assert empty.status_code == 400 and "La note est vide." in page_text(empty)


def test_a_trainer_cannot_open_the_file_of_a_learner_of_another_organisation(trainer_client, content):
    other = build_side("B")
    response = trainer_client.get(reverse("trainer:followup_learner", args=[other.learner.pk]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="learner.view").exists()


def test_the_learner_file_shows_the_latest_diagnostic_levels(trainer_client, side, real_bank):
    from tremplin.diagnostic.selectors import latest_results_for, paper_form_versions
    from tremplin.diagnostic.services import paper_session_record

    paper_session_record(learner=side.learner, trainer=side.trainer,
                         answers={v.item.slug: 0 for v in paper_form_versions()})
    results = latest_results_for(learner=side.learner)
    text = page_text(trainer_client.get(reverse("trainer:followup_learner", args=[side.learner.pk])))
    assert results and f"<strong>{results[0].title}</strong> : {results[0].level_label}" in text
    assert "Voir le positionnement en détail" in text


def test_the_grid_shows_fifty_people_a_page_and_the_export_has_everyone(trainer_client, side):
    from tremplin.accounts.models import User

    for i in range(54):  # with the side's learner: 55 people
        EnrolmentFactory(organisation=side.organisation, learner=LearnerFactory(first_name=f"Zed{i:02d}"))
    module = side.assignment.module
    assignment_create(organisation=side.organisation, created_by=side.trainer, track=module.track,
                      group=None, learner=User.objects.get(first_name="Zed53"))
    first = page_text(trainer_client.get(reverse("trainer:followup_grid")))
    second = page_text(trainer_client.get(reverse("trainer:followup_grid"), {"page": "2"}))
    people = lambda text: set(re.findall(r"Zed\d\d", text))  # noqa: E731
    assert len(people(first)) + len(people(second)) == 54 and not people(first) & people(second)
    assert "Page 1 sur 2 (55 personnes)" in first and "Page suivante" in first and "Page précédente" in second
    assert "Zed53" in second and module.title in first  # the columns are the same on every page
    assert page_text(trainer_client.get(reverse("trainer:followup_grid"), {"page": "9999"})).count("Zed") > 0
    assert page_text(trainer_client.get(reverse("trainer:followup_grid"), {"page": "\x00"})).count("Zed") > 0
    by_status = page_text(trainer_client.get(reverse("trainer:followup_grid"), {"statut": "not_started",
                                                                                 "page": "1"}))
    assert "Zed53" in by_status and "Page 1 sur" not in by_status  # one person matches: one page
    exported = trainer_client.get(reverse("trainer:followup_export")).content.decode()
    assert len(people(exported)) == 54
