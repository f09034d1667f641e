import pytest

from ..coaching.world import build_side


@pytest.fixture
def side(content):
    """One organisation with its trainer, admin, learners and one object of each kind."""
    return build_side("A")


@pytest.fixture
def trainer_client(client, side):
    client.force_login(side.trainer)
    return client
