"""Links from modules and tracks to the practical tools that go with them.

A mapping here rather than ``{% if module.slug == … %}`` in templates: module.html and track.html
each carry one neutral tag, and a new tool (a simulator, the CV builder…) is one line below.
"""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

CV_TOOL = ("learner:cv_home", _("Mon CV"), _("Faites votre CV partie par partie, puis téléchargez-le en PDF."))

MODULE_TOOLS: dict[str, list[tuple]] = {
    "ecrire-un-cv": [CV_TOOL],
    "adresse-email-pro": [CV_TOOL],
}
TRACK_TOOLS: dict[str, list[tuple]] = {
    "emploi": [CV_TOOL],
}


def _links(tools):
    return [{"url_name": url_name, "label": label, "help": help_text} for url_name, label, help_text in tools]


@register.inclusion_tag("learner/_module_tools.html")
def module_tools(module):
    return {"module": module, "tools": _links(MODULE_TOOLS.get(module.slug, []))}


@register.inclusion_tag("learner/_track_tools.html")
def track_tools(track):
    return {"tools": _links(TRACK_TOOLS.get(track.slug, []))}
