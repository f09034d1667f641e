"""``{% learner_meta %}``: the learner key a page carries for the offline queue (``tremplin.api.keys``)."""

from django import template
from django.utils.html import format_html

from tremplin.api.keys import learner_key

register = template.Library()


@register.simple_tag(takes_context=True)
def learner_meta(context) -> str:
    request = context.get("request")
    key = learner_key(getattr(request, "user", None))
    return format_html('<meta name="tremplin-learner" content="{}">', key) if key else ""
