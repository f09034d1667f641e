"""Installable and offline (issue 14, ADR 0018, docs/areas/offline.md).

Three small public responses, rendered by Django so that what a learner reads goes through gettext:
the web app manifest, the service worker script (``static/sw.js`` with its version and the French page shown
when a page is not on the phone) and the sentences the offline script shows (fetched only when a learner
downloads a module or works offline, then kept with the module).
"""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOUR = "#0b3d91"  # the links and buttons of static/css/learner.css


@login_not_required
@require_GET
@cache_control(public=True, max_age=86400)
def web_manifest(request: HttpRequest) -> HttpResponse:
    home = reverse("learner:home")
    icons = [
        {"src": static("icons/tremplin-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("icons/tremplin-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": static("icons/tremplin-maskable-512.png"), "sizes": "512x512", "type": "image/png",
         "purpose": "maskable"},
    ]
    data = {
        "name": "Tremplin", "short_name": "Tremplin", "lang": "fr", "dir": "ltr",
        "description": _("Apprendre le numérique pas à pas, même sans internet."),
        "start_url": home, "scope": home, "id": home, "display": "standalone",
        "background_color": "#ffffff", "theme_color": THEME_COLOUR, "icons": icons,
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json; charset=utf-8")


@cache
def _static_version(source: str) -> str:
    """The static files' version: the hash of collectstatic's manifest where there is one (production), else of
    the offline scripts' own text (tests, development); the worker's own text counts too."""
    manifest = getattr(staticfiles_storage, "manifest_hash", "") or ""
    parts = [manifest, source]
    if not manifest:
        for name in ("js/offline.js", "js/offline-kit.js", "css/learner.css"):
            path = finders.find(name)
            parts.append(Path(path).read_text(encoding="utf-8") if isinstance(path, str) else name)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def _worker_source() -> str:
    """sw.js without its comment lines and indentation (it is fetched on a learner's first visit: every byte counts)."""
    path = finders.find("sw.js")
    if not isinstance(path, str):
        raise Http404("sw.js")
    lines = (line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/apprendre/sw.js``: its scope is the learner area. Never kept stale: the browser checks it on each visit
    (no-cache) and its text changes with every release of the static files."""
    source = _worker_source()
    version = _static_version(source)
    offline_page = (
        '<!doctype html><html lang="fr"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(_('Pas d’internet'))} – Tremplin</title>"
        f'<main style="font:1.1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:auto;padding:1rem">'
        f"<h1>{escape(_('Pas d’internet'))}</h1>"
        f"<p>{escape(_('Cette page n’est pas sur le téléphone. Revenez quand internet marche.'))}</p>"
        f'<p><a href="{reverse("learner:home")}">{escape(_("Mes parcours"))}</a></p></main></html>'
    )
    config = {"version": version, "offline": offline_page}
    body = f"self.TREMPLIN = {json.dumps(config, ensure_ascii=False)};\n{source}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def offline_texts(request: HttpRequest) -> JsonResponse:
    """What offline.js and offline-kit.js say, in French: kept with each downloaded module."""
    texts = {
        "right": "✓ " + _("Bravo, c'est la bonne réponse !"),
        "wrong": "✗ " + _("Ce n'est pas la bonne réponse."),
        "retry": _("Réessayer"), "next": _("Suivant"), "finish": _("Terminer"),
        "pick_one": _("Choisissez une réponse, puis appuyez sur « Valider »."),
        "pick_many": _("Cochez au moins une réponse, puis appuyez sur « Valider »."),
        "rank_all": _("Donnez un numéro à chaque ligne."),
        "rank_once": _("Chaque numéro ne peut servir qu'une fois. Donnez un numéro différent à chaque ligne."),
        "done": _("Module terminé ! Vos réponses seront envoyées quand internet reviendra."),
        "not_here": _("Pas d'internet, et ce module n'est pas sur le téléphone. Réessayez quand internet revient."),
        "not_kept": _("Vous n'êtes pas connecté : ces réponses ne seront pas gardées."),
        "waiting_one": ngettext("En attente d'envoi : %(n)s réponse", "En attente d'envoi : %(n)s réponses", 1),
        "waiting_many": ngettext("En attente d'envoi : %(n)s réponse", "En attente d'envoi : %(n)s réponses", 2),
        "sent": _("Envoyé à %(time)s"),
        "ask": _("Cela prend %(size)s sur le téléphone."),
        "ask_audio": _("Cela prend %(size)s sur le téléphone, dont %(audio)s pour le son de « Écouter »."),
        "get": _("Télécharger (%(size)s)"),
        "get_quiet": _("Sans le son (%(size)s)"),
        "getting": _("Téléchargement… %(done)s sur %(total)s"),
        "ready": _("C'est prêt : vous pouvez l'utiliser sans internet."),
        "failed": _("Le téléchargement n'a pas marché. Rien n'est gardé. Réessayez avec internet."),
        "removed": _("Ce n'est plus sur le téléphone."),
        "signed_out": _("Connectez-vous pour télécharger."),
        "updated": _("Une nouvelle version du module est sur le téléphone."),
        "ko": _("%(n)s Ko"), "mo": _("%(n)s Mo"),
    }
    response = JsonResponse(texts, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-cache"
    return response
