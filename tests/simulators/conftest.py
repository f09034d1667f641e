from pathlib import Path

import pytest
from django.conf import settings

SIMULATORS_ROOT = Path(settings.BASE_DIR) / "content" / "simulators" / "fr"


@pytest.fixture
def simulators(real_simulators):
    """The real simulator files, loaded (once per session; see ``tests/conftest.py``)."""
    return real_simulators
