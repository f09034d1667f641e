"""Requests no URL of ours can mean, answered before any view reads them."""

from django.http import Http404
from django.views.defaults import page_not_found


class NullBytePathMiddleware:
    """A path holding a NUL byte (``/carte/a%00b/``) names nothing: 404, before a view passes it to PostgreSQL,
    which refuses NUL in text and would turn it into a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return page_not_found(request, Http404("NUL"))
        return self.get_response(request)
