"""Download manifests: every URL a module (or a track) needs to work without network, its size, and what the
device needs to show a quiz's feedback offline (``GET /api/modules/<slug>/manifest``, ``/api/tracks/<slug>/…``).

The URLs are read from the pages themselves, rendered by the learner's own views: the module page, each step
page, and what they load (the CSS and JS under their hashed static names, the illustrations, the « Écouter »
sound of each step). ``bytes`` is what the download costs on the wire: HTML, CSS, JS and SVG gzipped as the
server sends them, sounds as they are. A sound not rendered yet (ADR 13 renders on first demand) is estimated
from the length of its text. Computed once per content release and static build, then cached.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import re

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import Http404, HttpRequest
from django.middleware.gzip import GZipMiddleware
from django.templatetags.static import static
from django.urls import resolve, reverse
from django.utils.translation import gettext as _
from ninja import Router

from tremplin.catalog.enums import StepKind
from tremplin.catalog.models import Module, ModuleAsset, Track
from tremplin.catalog.selectors import module_active, modules_of, steps_of
from tremplin.learner.views_listen import step_listen_url, step_speech
from tremplin.lib.speech import speech_key

from .auth import staff_refused
from .schemas import ErrorOut, ManifestOut

router = Router(tags=["manifest"])

# Any attribute naming one of our files: href, src, data-audio (« Écouter »), data-kit (the offline script)…
LINKED = re.compile(r'="(/(?:static|apprendre/images|apprendre/ecouter)/[^"]+)"')
# espeak-ng's Ogg Opus (tremplin.lib.speech): about this many bytes per character of text, measured on the
# real curriculum; only for sounds nobody asked for yet.
AUDIO_BYTES_PER_CHAR = 150
CACHE_SECONDS = 24 * 3600


def _gzipped(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def _page_wire(html: bytes) -> int:
    """A page as ``GZipMiddleware`` sends it: gzipped, plus on average half its random padding (BREACH)."""
    return _gzipped(html) + GZipMiddleware.max_random_bytes // 2


def _page_get(request: HttpRequest, url: str) -> bytes:
    """A learner page as the learner's own GET would render it, without touching their session's messages."""
    page = copy.copy(request)
    page.method = "GET"
    page.path = page.path_info = url
    page.META = {**request.META, "REQUEST_METHOD": "GET", "PATH_INFO": url, "QUERY_STRING": ""}
    page.resolver_match = match = resolve(url)
    page.__dict__.pop("_messages", None)
    response = match.func(page, *match.args, **match.kwargs)
    return response.content if response.status_code == 200 else b""


def _audio(sizes: dict[str, int]) -> int:
    return sum(size for url, size in sizes.items() if url.endswith(".ogg"))


def _static_size(url: str) -> int:
    name = url.removeprefix(settings.STATIC_URL).split("?")[0]
    path = None
    try:
        if staticfiles_storage.exists(name):
            path = staticfiles_storage.path(name)
    except (NotImplementedError, ValueError):
        path = None
    path = path or finders.find(name)
    if not path:
        return 0
    with open(path, "rb") as f:
        return _gzipped(f.read())


def _answers(module: Module, steps) -> dict:
    """What the step page shows after an answer (``learner/step.html``): right or not, then the explanation."""
    out = {}
    for number, step in enumerate(steps, start=1):
        if not step.is_question:
            continue
        choices = step.data["choices"]
        correct = (list(range(1, len(choices) + 1)) if step.kind == StepKind.ORDER
                   else [i for i, c in enumerate(choices) if c.get("correct")])
        out[step.slug] = {"number": number, "kind": step.kind, "correct": correct, "feedback": {
            "right": "✓ " + _("Bravo, c'est la bonne réponse !"),
            "wrong": "✗ " + _("Ce n'est pas la bonne réponse."),
            "explanation": step.data.get("explanation", ""),
        }}
    return out


def _module_pack(request: HttpRequest, module: Module) -> dict:
    """{"urls": {url: bytes on the wire}, "answers": …} of one module, cached per content release."""
    key = "api:manifest:" + hashlib.sha256(
        f"{module.slug}|{module.content_version}|{static('css/learner.css')}".encode()).hexdigest()[:32]
    pack = cache.get(key)
    if pack is not None:
        return pack
    steps = steps_of(module=module)
    sizes: dict[str, int] = {}
    linked: set[str] = set()
    pages = [reverse("learner:module", args=[module.slug])]
    pages += [reverse("learner:step", args=[module.slug, n]) for n in range(1, len(steps) + 1)]
    for url in pages:
        html = _page_get(request, url)
        sizes[url] = _page_wire(html)
        linked.update(LINKED.findall(html.decode()))
    images = {reverse("learner:asset", args=[module.slug, sha, name]): content
              for name, sha, content in ModuleAsset.objects.filter(module=module).values_list("name", "sha", "content")}
    sounds = {}
    for number, step in enumerate(steps, start=1):
        text = step_speech(step)
        if text:
            audio = settings.AUDIO_ROOT / f"{speech_key(text)}.ogg"
            sounds[step_listen_url(module, step, number)] = (
                audio.stat().st_size if audio.exists() else len(text) * AUDIO_BYTES_PER_CHAR)
    for url in sorted(linked | set(sounds)):
        if url.startswith(settings.STATIC_URL):
            sizes[url] = _static_size(url)
        elif url in images:
            sizes[url] = _gzipped(images[url].encode())
        elif url in sounds:
            sizes[url] = sounds[url]
    pack = {"urls": sizes, "answers": _answers(module, steps)}
    cache.set(key, pack, CACHE_SECONDS)
    return pack


@router.get("/modules/{slug}/manifest", url_name="module_manifest", response={200: ManifestOut, 403: ErrorOut,
                                                                               404: ErrorOut})
def module_manifest(request: HttpRequest, slug: str):
    """Everything a module needs offline, and its size."""
    staff_refused(request)
    module = module_active(slug=slug)
    if module is None:
        raise Http404
    pack = _module_pack(request, module)
    return {"slug": module.slug, "title": module.title, "content_version": module.content_version,
            "urls": list(pack["urls"]), "bytes": sum(pack["urls"].values()), "audio_bytes": _audio(pack["urls"]),
            "answers": pack["answers"],
            "modules": {module.slug: module.content_version}}


@router.get("/tracks/{slug}/manifest", url_name="track_manifest", response={200: ManifestOut, 403: ErrorOut,
                                                                             404: ErrorOut})
def track_manifest(request: HttpRequest, slug: str):
    """Everything a track's modules need offline (their union, with the track page), and its size."""
    staff_refused(request)
    track = Track.objects.filter(slug=slug, is_active=True).first()
    if track is None:
        raise Http404
    modules = list(modules_of(track=track))
    track_url = reverse("learner:track", args=[track.slug])
    html = _page_get(request, track_url)
    sizes = {track_url: _page_wire(html)}
    for url in LINKED.findall(html.decode()):
        sizes.setdefault(url, _static_size(url) if url.startswith(settings.STATIC_URL) else 0)
    answers = {}
    for module in modules:
        pack = _module_pack(request, module)
        sizes.update(pack["urls"])
        answers.update({f"{module.slug}/{step}": key for step, key in pack["answers"].items()})
    versions = "|".join(f"{m.slug}:{m.content_version}" for m in modules)
    return {"slug": track.slug, "title": track.title,
            "content_version": hashlib.sha256(versions.encode()).hexdigest()[:16],
            "urls": list(sizes), "bytes": sum(sizes.values()), "audio_bytes": _audio(sizes), "answers": answers,
            "modules": {m.slug: m.content_version for m in modules}}
