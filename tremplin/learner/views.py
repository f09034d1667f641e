import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.accounts.device import COOKIE, device_guest
from tremplin.catalog.models import ModuleAsset
from tremplin.catalog.selectors import (
    catalog,
    module_active,
    modules_of,
    modules_of_track,
    step_pack,
    steps_of,
    track_for_learners,
)
from tremplin.lib.pdf import pdf_response, render_pdf
from tremplin.progress.enums import ProgressStatus
from tremplin.progress.quiz import InvalidAnswer, display_order, event_id_parse, step_answer_read
from tremplin.progress.selectors import has_history, progress_of
from tremplin.progress.services import EventConflict, step_advance, step_answer
from tremplin.progress.states import progress_states

from .decorators import learner_required
from .guests import acting_learner
from .home_assignments import assignments_for_home
from .home_diagnostic import diagnostic_for_home
from .views_listen import step_listen_url


def _module_or_404(slug: str):
    module = module_active(slug=slug)
    if module is None:
        raise Http404("module inconnu")
    return module


def _resume_index(progress, n_steps: int) -> int:
    if progress is None or progress.is_completed:
        return 0
    return min(progress.furthest_position + 1, n_steps - 1)


@learner_required(open_to_all=True)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The curriculum from the release's catalogue in memory; of the learner's own rows, only the columns shown."""
    cat = catalog()
    states = progress_states(learner=request.user)
    done = {pk for pk, (status, _last) in states.items() if status == ProgressStatus.COMPLETED}
    tracks = []
    for track in cat.tracks:
        modules = cat.modules_by_track.get(track.pk, ())
        tracks.append({"track": track, "total": len(modules), "done": sum(1 for m in modules if m.pk in done)})
    return render(request, "learner/home.html", {
        "tracks": tracks, "resume": _to_resume(states, cat), **_open_access_offers(request),
        **assignments_for_home(request.user, done=done, curriculum=cat), **diagnostic_for_home(request.user, done=done, curriculum=cat)})


def _to_resume(states: dict, cat) -> dict | None:
    """The module in progress with the latest activity (one without a date last)."""
    started = [(last is not None, last, pk) for pk, (status, last) in states.items()
               if status == ProgressStatus.IN_PROGRESS and pk in cat.active_by_pk]
    if not started:
        return None
    latest = max(started, key=lambda s: (s[0], s[1] or 0))
    return {"module": cat.active_by_pk[latest[2]]}


def _open_access_offers(request: HttpRequest) -> dict:
    """A guest is offered to keep their progress; a person who signed in on a device holding a guest's
    progress is asked whether to add it to their account (ADR 0010)."""
    user = request.user
    if not user.is_authenticated:
        return {"anonymous": True}
    if user.is_guest:
        return {"keep_offer": has_history(learner=user)}
    guest = device_guest(request.COOKIES.get(COOKIE))
    return {"attach_offer": guest is not None and has_history(learner=guest)}


@learner_required(open_to_all=True)
@require_GET
def track_detail(request: HttpRequest, slug: str) -> HttpResponse:
    track = track_for_learners(slug=slug)
    if track is None:
        raise Http404("parcours inconnu")
    states = progress_states(learner=request.user)
    modules = [{"module": m, "progress": {"status": states[m.pk][0]} if m.pk in states else None}
               for m in modules_of_track(track_id=track.pk)]
    return render(request, "learner/track.html", {"track": track, "modules": modules})


@learner_required(open_to_all=True)
@require_GET
def module_detail(request: HttpRequest, slug: str) -> HttpResponse:
    module = _module_or_404(slug)
    steps = steps_of(module=module)
    progress = progress_of(learner=request.user, module=module)
    return render(request, "learner/module.html", {
        "module": module, "progress": progress, "n_steps": len(steps),
        "n_questions": sum(1 for s in steps if s.is_question),
        "resume_number": _resume_index(progress, len(steps)) + 1,
    })


def _asset_urls(module, shas: dict[str, str] | None = None) -> dict[str, str]:
    if shas is None:
        shas = dict(ModuleAsset.objects.filter(module=module).values_list("name", "sha"))
    return {name: reverse("learner:asset", args=[module.slug, sha, name]) for name, sha in shas.items()}


def _step_context(request, module, steps, index, asset_shas: dict[str, str] | None = None, **extra):
    step = steps[index]
    urls = _asset_urls(module, asset_shas)
    context = {
        "image_url": urls.get(step.image, ""),
        "module": module, "step": step, "number": index + 1, "total": len(steps),
        "previous_number": index if index > 0 else None,
        "next_event_id": uuid.uuid4(), "answer_event_id": uuid.uuid4(),
        "is_last": index == len(steps) - 1,
    }
    if step.is_question:
        choices = step.data["choices"]
        context["choices"] = [{"index": i, **choices[i], "image_url": urls.get(choices[i].get("image") or "", "")}
                              for i in display_order(step)]
        context["ranks"] = range(1, len(choices) + 1)
    context.update(extra)
    # The step's sound; after an answer the page reads the feedback, which only the phone's voice can say.
    context["listen_url"] = "" if context.get("answered") else step_listen_url(module, step, index + 1)
    return context


@learner_required(open_to_all=True)
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    if request.method == "GET":  # the module and its steps from the release's catalogue in memory
        cat = catalog()
        entry = cat.module_by_slug.get(slug)
        if entry is None:
            raise Http404("module inconnu")
        pack = step_pack(cat, entry)
        if not 1 <= number <= len(pack.steps):
            raise Http404("étape inconnue")
        return render(request, "learner/step.html", _step_context(request, entry, pack.steps, number - 1,
                                                                  asset_shas=pack.asset_shas))
    module = _module_or_404(slug)
    steps = steps_of(module=module)
    if not 1 <= number <= len(steps):
        raise Http404("étape inconnue")
    index = number - 1
    current = steps[index]

    event_id = event_id_parse(request.POST.get("event_id"))
    if event_id is None:
        return render(request, "learner/step.html", _step_context(
            request, module, steps, index, form_error=_expired()), status=400)
    try:
        if request.POST.get("action") == "answer" and current.is_question:
            try:
                step_answer_read(current, request.POST)  # an unreadable answer creates no guest
                graded = step_answer(learner=acting_learner(request), step=current, raw=request.POST,
                                     event_id=event_id)
            except InvalidAnswer as exc:
                return render(request, "learner/step.html", _step_context(
                    request, module, steps, index, answer_error=str(exc)), status=400)
            return render(request, "learner/step.html", _step_context(
                request, module, steps, index, answered=True, correct=graded.correct, picked=graded.picked))
        # "Suivant": the learner has seen this step.
        advance = step_advance(learner=acting_learner(request), step=current, event_id=event_id)
    except EventConflict:
        return render(request, "learner/step.html", _step_context(
            request, module, steps, index, form_error=_expired()), status=400)
    if advance.completed:
        return redirect("learner:module_complete", slug=module.slug)
    if advance.not_done:
        messages.info(request, _("Il vous reste cette étape à faire avant de terminer le module."))
    return redirect("learner:step", slug=module.slug, number=advance.next_number)


def _expired() -> str:
    return _("Ce formulaire n'est plus valable. Rien n'est perdu : appuyez à nouveau sur le bouton.")


@learner_required(open_to_all=True)
@require_GET
def module_complete(request: HttpRequest, slug: str) -> HttpResponse:
    module = _module_or_404(slug)
    progress = progress_of(learner=request.user, module=module)
    if progress is None or progress.status != ProgressStatus.COMPLETED:
        return redirect("learner:module", slug=module.slug)
    next_module = modules_of(track=module.track).filter(position__gt=module.position).first()
    n_questions = sum(1 for s in steps_of(module=module) if s.is_question)
    n_right = round((progress.score or 0) * n_questions)
    return render(request, "learner/complete.html", {
        "module": module, "progress": progress, "next_module": next_module,
        "n_questions": n_questions, "n_right": n_right})


@learner_required
@require_GET
def attestation(request: HttpRequest, slug: str) -> HttpResponse:
    module = _module_or_404(slug)
    if request.user.is_guest:  # an attestation names a person: keep the progress (and give a first name) first
        messages.info(request, _("Pour avoir une attestation à votre nom, gardez d'abord votre progression."))
        return redirect("learner:keep")
    progress = progress_of(learner=request.user, module=module)
    if progress is None or progress.status != ProgressStatus.COMPLETED:
        return redirect("learner:module", slug=module.slug)
    data = render_pdf("learner/attestation_pdf.html", {
        "learner": request.user, "module": module, "progress": progress, "today": timezone.localdate()},
        request=request)
    return pdf_response(data, f"attestation-{module.slug}.pdf")


@login_not_required
@require_GET
@cache_control(public=True, max_age=31536000, immutable=True)
def asset(request: HttpRequest, slug: str, sha: str, name: str) -> HttpResponse:
    item = get_object_or_404(ModuleAsset, module__slug=slug, name=name)
    if item.sha != sha:
        return redirect(reverse("learner:asset", args=[slug, item.sha, name]))
    response = HttpResponse(item.content, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
