from pathlib import Path

import pytest

BANK = Path(__file__).resolve().parents[2] / "content" / "diagnostic" / "fr"


@pytest.fixture
def bank(real_bank):
    """The real item bank, loaded (once per session; see ``tests/conftest.py``)."""
    return real_bank


def answer_all(client, session_id, *, right: bool | None = None, max_steps: int = 40):
    """Answer until the results: right answers, wrong ones, or « Je ne sais pas » when right is None."""
    from tremplin.diagnostic.models import DiagnosticSession
    from tremplin.diagnostic.selectors import next_version_for

    url = f"/apprendre/positionnement/{session_id}/"
    for _ in range(max_steps):
        session = DiagnosticSession.objects.get(pk=session_id)
        if session.is_completed:
            return session
        version = next_version_for(session)
        if version is None:
            client.get(url)
            continue
        client.post(url, right_form(version, right))
    raise AssertionError("le positionnement ne s'arrête pas")


def right_form(version, right: bool | None) -> dict:
    form = {"item": version.item.slug, "version": version.version, "action": "answer"}
    if right is None:
        return {**form, "action": "skip"}
    choices = version.data.get("choices") or []
    if version.kind in ("single", "tap", "multiple"):
        good = [i for i, c in enumerate(choices) if c.get("correct")]
        bad = [i for i, c in enumerate(choices) if not c.get("correct")]
        form["choice"] = good if right else bad[:1]
    elif version.kind == "order":
        ranks = list(range(1, len(choices) + 1)) if right else list(range(len(choices), 0, -1))
        form.update({f"rank_{i}": r for i, r in enumerate(ranks)})
    elif version.kind == "text":
        form["text"] = version.data["answers"][0] if right else "je ne sais pas"
    return form
