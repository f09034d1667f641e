from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from tremplin.catalog.services import curriculum_load

from .factories import LearnerFactory, StaffFactory

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
REAL_CONTENT = Path(settings.CONTENT_ROOT)
DIAGNOSTIC_BANK = Path(settings.BASE_DIR) / "content" / "diagnostic" / "fr"
SIMULATORS_ROOT = Path(settings.BASE_DIR) / "content" / "simulators" / "fr"


class LoadedRows:
    """The rows a loader wrote, kept in memory so that each test gets them back with one bulk insert
    per table instead of running the loader again (the real curriculum takes seconds to load).

    The loader itself runs once per test session and xdist worker (``loaded_rows``); its own tests
    (idempotency, all or nothing, reports) still call it directly.
    """

    def __init__(self, models, result=None):
        self.models = models
        self.result = result  # what the loader returned (its report)
        self.rows = {model: list(model.objects.order_by("pk")) for model in models}

    def restore(self):
        """Put the rows back: a test's rollback, or the flush after a live-server test, removed them."""
        counts = {model: model.objects.count() for model in self.models}
        if all(counts[model] == len(rows) for model, rows in self.rows.items()):
            return self.result  # already there (two fixtures of the same test asked for them)
        if any(counts.values()):
            raise RuntimeError(f"these tables already hold other rows: {counts}; use one curriculum per test")
        with transaction.atomic():  # foreign keys are checked at commit: rows may point at each other
            for model, rows in self.rows.items():
                model.objects.bulk_create(rows, batch_size=500)
        return self.result


def _load_then_roll_back(load, models) -> LoadedRows:
    with transaction.atomic():
        rows = LoadedRows(models, load())
        transaction.set_rollback(True)
    return rows


@pytest.fixture(scope="session")
def loaded_rows(django_db_setup, django_db_blocker):
    """Each loader runs once per session (per xdist worker), on first use; tests get its rows back cheaply."""
    from tremplin.catalog.models import ContentRelease, Module, ModuleAsset, Step, Track
    from tremplin.diagnostic.models import (
        Competence,
        DiagnosticImage,
        DiagnosticItem,
        DiagnosticItemVersion,
        FrameworkRelease,
    )
    from tremplin.diagnostic.services import bank_load
    from tremplin.simulators.models import Simulator
    from tremplin.simulators.services import simulators_load

    catalog = [Track, Module, Step, ModuleAsset, ContentRelease]
    loaders = {
        "fixture_content": (lambda: curriculum_load(root=FIXTURE_CONTENT), catalog),
        "real_content": (lambda: curriculum_load(root=REAL_CONTENT), catalog),
        "real_bank": (lambda: bank_load(root=DIAGNOSTIC_BANK),
                      [Competence, DiagnosticImage, DiagnosticItem, DiagnosticItemVersion, FrameworkRelease]),
        "real_simulators": (lambda: simulators_load(root=SIMULATORS_ROOT), [Simulator]),
    }
    cache: dict[str, LoadedRows] = {}

    def get(name: str) -> LoadedRows:
        if name not in cache:
            load, models = loaders[name]
            with django_db_blocker.unblock():
                cache[name] = _load_then_roll_back(load, models)
        return cache[name]

    return get


@pytest.fixture
def content(db, loaded_rows):
    """The small test curriculum (tests/fixtures/content), loaded."""
    return loaded_rows("fixture_content").restore()


@pytest.fixture
def real_content(db, loaded_rows):
    """The real curriculum (content/fr, 41 modules), loaded: as ``curriculum_load`` writes it."""
    return loaded_rows("real_content").restore()


@pytest.fixture
def real_bank(db, loaded_rows):
    """The real diagnostic framework and item bank (content/diagnostic/fr), loaded."""
    return loaded_rows("real_bank").restore()


@pytest.fixture
def real_simulators(db, loaded_rows):
    """The real practice simulators (content/simulators/fr), loaded."""
    return loaded_rows("real_simulators").restore()


@pytest.fixture
def learner(db):
    return LearnerFactory(first_name="Samia")


@pytest.fixture
def staff(db):
    return StaffFactory(first_name="Claire")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def page_text(response) -> str:
    """The response's HTML with entities decoded, so tests compare plain French sentences."""
    import html

    return html.unescape(response.content.decode())


# Tests that take seconds each run first (in the order pytest-randomly gave them), so that with
# ``-n 2 --dist worksteal`` no worker is left alone with a long test at the end of the run.
LONG_TESTS = ("tests/browser/", "tests/diagnostic/test_simulation.py")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(items):
    result = yield  # after every other plugin, pytest-randomly's shuffle included
    items.sort(key=lambda item: not item.nodeid.startswith(LONG_TESTS))  # stable: the order within stays
    return result


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache holds the sign-in budget per address: each test starts with none spent (and no PDF made)."""
    from django.core.cache import caches

    for alias in ("default", "documents"):
        caches[alias].clear()
    yield
    for alias in ("default", "documents"):
        caches[alias].clear()
