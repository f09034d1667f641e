"""The JSON API of the learner's device (django-ninja, ADR 0019): offline sync and download manifests.

Mounted at ``/api/``; its OpenAPI schema at ``/api/openapi.json``. No docs page: it would load its assets from a
CDN, which the content security policy forbids. Every error is JSON with a French ``detail`` and a ``code``.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from . import manifest, sync
from .auth import ApiError

api = NinjaAPI(title="Tremplin", version="1", urls_namespace="api", docs_url=None,
               description="L'appareil de l'apprenant : réponses faites sans internet, téléchargement des modules.")


def _error(request: HttpRequest, status: int, code: str, detail: str) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code}, status=status)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return _error(request, exc.status_code, exc.code, exc.message)


@api.exception_handler(AuthenticationError)
def _signed_out(request, exc):
    return _error(request, 401, "signed_out", _("Connectez-vous pour envoyer vos réponses."))


@api.exception_handler(ValidationError)
def _malformed(request, exc):
    return _error(request, 422, "malformed", _("Ces données ne peuvent pas être lues. Rien n'a été enregistré."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "error", _("Cette demande ne peut pas être traitée."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("Ce module n'existe pas ou plus."))


api.add_router("/", sync.router)
api.add_router("/", manifest.router)
