from pathlib import Path

import pytest

from tremplin.catalog.services import curriculum_load

from .factories import LearnerFactory, StaffFactory

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"


@pytest.fixture
def content(db):
    """The small test curriculum (tests/fixtures/content), loaded."""
    return curriculum_load(root=FIXTURE_CONTENT)


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


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache holds the sign-in budget per address: each test starts with none spent."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
