"""The organisation selector of the trainer navigation: {% load organisation_switch %}{% organisation_switch %}."""

from django import template

from tremplin.organisations.selectors import organisations_of

from ..context import current_organisation

register = template.Library()


@register.inclusion_tag("trainer/organisation/_switch.html", takes_context=True)
def organisation_switch(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated or request.user.is_learner:
        return {"organisations": [], "current": None, "next": ""}
    return {"organisations": list(organisations_of(user=request.user).order_by("name")),
            "current": current_organisation(request), "next": request.get_full_path(),
            "csrf_token": context.get("csrf_token")}
