"""The organisation selector of the trainer navigation: {% load organisation_switch %}{% organisation_switch %}."""

from django import template

from tremplin.organisations.access import organisations_of, scope_of_request

register = template.Library()


@register.inclusion_tag("trainer/organisation/_switch.html", takes_context=True)
def organisation_switch(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated or request.user.is_learner:
        return {"organisations": [], "current": None, "next": ""}
    scope = scope_of_request(request)
    return {"organisations": list(organisations_of(user=request.user)),
            "current": scope.organisation if scope else None, "next": request.get_full_path(),
            "csrf_token": context.get("csrf_token")}
