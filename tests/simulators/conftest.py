from pathlib import Path

import pytest
from django.conf import settings

from tremplin.simulators.services import simulators_load

SIMULATORS_ROOT = Path(settings.BASE_DIR) / "content" / "simulators" / "fr"


@pytest.fixture
def simulators(db):
    """The real simulator files, loaded."""
    return simulators_load(root=SIMULATORS_ROOT)
