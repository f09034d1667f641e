"""Learner screens of the practice simulators: list, introduction, one screen per page, result.

What the learner types lives only in the session while the attempt runs (for the final recap)
and is dropped when it ends; the attempt row keeps counters and the outcome.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.simulators import engine
from tremplin.simulators.enums import Mode
from tremplin.simulators.schema import Screen, SimulatorFile
from tremplin.simulators.selectors import attempt_of, recent_attempts, simulator_active, simulators_for_learners
from tremplin.simulators.services import (
    attempt_abandon,
    attempt_finish,
    attempt_progress,
    attempt_start,
    definition_of,
)

from .decorators import learner_required
from .guests import acting_learner

SESSION_KEY = "simulators"
MAX_STATES = 3
MODE_HELP = {
    Mode.GUIDED: gettext_lazy("Le site vous montre quoi faire, pas à pas."),
    Mode.PRACTICE: gettext_lazy("Vous faites seul. Vous pouvez demander un indice."),
    Mode.CHECK: gettext_lazy("Sans aide. Vous obtenez un score."),
}


# --- session state (values typed during one attempt) -------------------------------------------

def _state(request: HttpRequest, attempt) -> dict:
    states = request.session.get(SESSION_KEY, {})
    return states.get(str(attempt.id), {"values": {}, "feedback": ""})


def _save_state(request: HttpRequest, attempt, state: dict) -> None:
    states = dict(request.session.get(SESSION_KEY, {}))
    states.pop(str(attempt.id), None)
    states[str(attempt.id)] = state
    while len(states) > MAX_STATES:  # an attempt left open long ago: forget what was typed
        states.pop(next(iter(states)))
    request.session[SESSION_KEY] = states


def _drop_state(request: HttpRequest, attempt) -> None:
    states = dict(request.session.get(SESSION_KEY, {}))
    if states.pop(str(attempt.id), None) is not None:
        request.session[SESSION_KEY] = states


# --- presentation ---------------------------------------------------------------------------------

def _display(f, value) -> str:
    if f.kind == "password":
        return "••••••••"
    if f.kind == "choice":
        labels = {c.value: c.label for c in f.choices}
        if isinstance(value, list):
            return ", ".join(labels.get(v, v) for v in value)
        return labels.get(value, value)
    if f.kind == "date":
        date = engine.parse_date(value)
        return date.strftime("%d/%m/%Y") if date else value
    if f.kind == "checkbox":
        return _("Oui") if value == "oui" else _("Non")
    return value


def _recap(sim: SimulatorFile, screen: Screen, values: dict) -> list[tuple[str, str]]:
    fields = {f.name: f for s in sim.screens for f in s.fields}
    return [(fields[name].label, _display(fields[name], values.get(name, ""))) for name in screen.recap]


INPUT_TYPES = {"text": "text", "email": "email", "password": "password", "number": "text", "date": "text",
               "code": "text"}
INPUT_MODES = {"number": "decimal", "date": "numeric", "code": "numeric", "email": "email"}


def _fields(sim: SimulatorFile, screen: Screen, values: dict, errors: dict, target, bubbles: str) -> list[dict]:
    out = []
    files = sim.persona.files
    for f in screen.fields:
        value = values.get(f.name, f.initial if f.kind != "checkbox" else "")
        is_target = target is not None and target.kind == "field" and target.name == f.name
        chosen = value if isinstance(value, list) else [value]
        out.append({
            "name": f.name, "kind": f.kind, "label": f.label, "help": f.help, "required": f.required,
            "error": errors.get(f.name, ""), "value": "" if isinstance(value, list) else value,
            "input_type": INPUT_TYPES.get(f.kind, "text"), "inputmode": INPUT_MODES.get(f.kind, ""),
            "autocomplete": "new-password" if f.kind == "password" else "off",
            "maxlength": engine.MAX_FIELD_LENGTH,
            "multiple": f.multiple, "checked": value == "oui",
            "choices": [{"value": c.value, "label": c.label, "checked": c.value in chosen} for c in f.choices],
            "files": [{"value": p.name, "label": p.label, "checked": p.name == value} for p in files],
            "is_target": is_target, "hint": f.hint,
            "bubble": bubbles == "all" or (bubbles == "target" and is_target),
        })
    return out


def _actions(screen: Screen, target, bubbles: str) -> list[dict]:
    out = []
    main = engine.main_action(screen)
    for a in screen.actions:
        is_target = target is not None and target.kind == "action" and target.name == a.slug
        bubble = (bubbles == "all" and a is main) or (bubbles == "target" and is_target)
        out.append({"slug": a.slug, "label": a.label, "style": a.style, "is_target": is_target,
                    "hint": a.hint, "bubble": bubble})
    return out


def _screen_context(attempt, sim: SimulatorFile, screen: Screen, *, values=None, errors=None, message="",
                    feedback="", form_error="", hint_requested=False, state=None) -> dict:
    values = values or {}
    errors = errors or {}
    target = None
    bubbles = "none"
    if attempt.mode == Mode.GUIDED:
        target, bubbles = engine.hint_target(sim, screen, values, errors), "all"
    elif attempt.mode == Mode.PRACTICE and hint_requested:
        target, bubbles = engine.hint_target(sim, screen, values, errors), "target"
    fields = _fields(sim, screen, values, errors, target, bubbles)
    return {
        "attempt": attempt, "sim": sim, "screen": screen, "site": sim.site, "persona": sim.persona,
        "mode_label": Mode(attempt.mode).label, "fields": fields, "actions": _actions(screen, target, bubbles),
        "error_list": [f for f in fields if f["error"]], "message": message, "feedback": feedback,
        "form_error": form_error, "recap": _recap(sim, screen, (state or {}).get("values", {})),
        "can_hint": attempt.mode == Mode.PRACTICE, "guided": attempt.mode == Mode.GUIDED,
    }


# --- views ----------------------------------------------------------------------------------------

@learner_required(open_to_all=True)
@require_GET
def simulator_list(request: HttpRequest) -> HttpResponse:
    return render(request, "learner/simulators/list.html", {
        "simulators": list(simulators_for_learners()),
        "attempts": list(recent_attempts(learner=request.user, limit=10)) if request.user.is_authenticated else [],
    })


def _simulator_or_404(slug: str):
    simulator = simulator_active(slug=slug)
    if simulator is None:
        raise Http404("simulateur inconnu")
    return simulator


@learner_required(open_to_all=True)
@require_GET
def simulator_intro(request: HttpRequest, slug: str) -> HttpResponse:
    simulator = _simulator_or_404(slug)
    sim = definition_of(simulator)
    modes = [{"value": m.value, "label": m.label, "help": MODE_HELP[m]} for m in Mode]
    return render(request, "learner/simulators/intro.html", {
        "simulator": simulator, "sim": sim, "persona": sim.persona, "modes": modes})


@learner_required(open_to_all=True)
@require_POST
def simulator_start(request: HttpRequest, slug: str) -> HttpResponse:
    simulator = _simulator_or_404(slug)
    mode = request.POST.get("mode", "")
    if mode not in Mode.values:
        sim = definition_of(simulator)
        modes = [{"value": m.value, "label": m.label, "help": MODE_HELP[m]} for m in Mode]
        return render(request, "learner/simulators/intro.html", {
            "simulator": simulator, "sim": sim, "persona": sim.persona, "modes": modes,
            "form_error": _("Choisissez une façon de vous entraîner.")}, status=400)
    attempt = attempt_start(learner=acting_learner(request), simulator=simulator, mode=mode)
    return redirect("learner:simulator_run", attempt_id=attempt.id)


def _attempt_or_404(request: HttpRequest, attempt_id: UUID):
    attempt = attempt_of(learner=request.user, attempt_id=attempt_id)
    if attempt is None:
        raise Http404("essai inconnu")
    return attempt


@learner_required
@require_http_methods(["GET", "POST"])
def simulator_run(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.is_finished:
        return redirect("learner:simulator_result", attempt_id=attempt.id)
    sim = definition_of(attempt.simulator)
    screen = engine.screen_by_slug(sim, attempt.screen) or sim.screens[0]
    state = _state(request, attempt)
    template = "learner/simulators/run.html"

    if request.method == "GET":
        feedback = state.get("feedback", "")
        if feedback:
            _save_state(request, attempt, {**state, "feedback": ""})
        return render(request, template, _screen_context(attempt, sim, screen, feedback=feedback, state=state))

    if request.POST.get("screen") != screen.slug:
        # A second tap, or the browser's back button: show where the attempt really is.
        return redirect("learner:simulator_run", attempt_id=attempt.id)
    action = (request.POST.get("action") or "")[:80]
    result = engine.submit(sim, screen, request.POST, action)

    if result.kind == "hint":
        if attempt.mode != Mode.PRACTICE:
            return render(request, template, _screen_context(
                attempt, sim, screen, values=result.values, state=state,
                form_error=_("Pas d'indice dans ce mode.")), status=400)
        attempt_progress(attempt=attempt, hints=1)
        return render(request, template, _screen_context(attempt, sim, screen, values=result.values, state=state,
                                                         hint_requested=True))
    if result.kind == "unknown":
        return render(request, template, _screen_context(
            attempt, sim, screen, values=result.values, state=state,
            form_error=_("Ce bouton n'existe pas sur cette page. Appuyez sur un bouton du site.")), status=400)
    if result.counts_as_error:
        attempt_progress(attempt=attempt, errors=1)
        return render(request, template, _screen_context(
            attempt, sim, screen, values=result.values, errors=result.errors, message=result.message,
            state=state), status=400)

    # Passwords are never kept, not even for the recap.
    passwords = {f.name for f in screen.fields if f.kind == "password"}
    kept = {k: v for k, v in result.accepted.items() if k not in passwords}
    next_screen = engine.screen_by_slug(sim, result.next_screen)
    attempt_progress(attempt=attempt, screen=next_screen.slug)
    if next_screen.end:
        _drop_state(request, attempt)
        attempt_finish(attempt=attempt)
        return redirect("learner:simulator_result", attempt_id=attempt.id)
    _save_state(request, attempt, {"values": {**state.get("values", {}), **kept}, "feedback": result.feedback})
    return redirect("learner:simulator_run", attempt_id=attempt.id)


@learner_required
@require_POST
def simulator_quit(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    attempt = _attempt_or_404(request, attempt_id)
    _drop_state(request, attempt)
    attempt_abandon(attempt=attempt)
    return redirect("learner:simulator", slug=attempt.simulator.slug)


@learner_required
@require_GET
def simulator_result(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    attempt = _attempt_or_404(request, attempt_id)
    if not attempt.is_finished:
        return redirect("learner:simulator_run", attempt_id=attempt.id)
    sim = definition_of(attempt.simulator)
    end = engine.screen_by_slug(sim, attempt.screen)
    seconds = (attempt.duration_ms or 0) // 1000
    next_mode = {Mode.GUIDED: Mode.PRACTICE, Mode.PRACTICE: Mode.CHECK}.get(Mode(attempt.mode))
    return render(request, "learner/simulators/result.html", {
        "attempt": attempt, "sim": sim, "site": sim.site, "end": end if end and end.end else None,
        "mode_label": Mode(attempt.mode).label, "minutes": seconds // 60, "seconds": seconds % 60,
        "next_mode": next_mode.value if next_mode else "", "next_mode_label": next_mode.label if next_mode else "",
        "is_check": attempt.mode == Mode.CHECK, "pass_percent": round(engine.PASS_MARK * 100),
    })
