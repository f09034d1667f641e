"""``{% learner_meta %}``: the learner key a page carries for the offline queue (``tremplin.api.keys``)."""

from django import template
from django.utils.html import format_html

from tremplin.api.keys import former_keys, learner_key

register = template.Library()


@register.simple_tag(takes_context=True)
def learner_meta(context) -> str:
    request = context.get("request")
    key = learner_key(getattr(request, "user", None))
    if not key:
        return ""
    former = " ".join(former_keys(request))
    if former:  # a guest who joined this account on this device: what the device queued for them is this account's
        return format_html('<meta name="tremplin-learner" content="{}" data-former="{}">', key, former)
    return format_html('<meta name="tremplin-learner" content="{}">', key)
