"""Links between the two staff spaces: {% load network_nav %}{% pilotage_link %} in the trainer navigation (for
people who also hold a network role), and the network navigation's territory switch."""

from django import template

from tremplin.organisations.access import network_scope_of_request, network_territories_of, organisations_of

register = template.Library()


@register.inclusion_tag("network/_pilotage_link.html", takes_context=True)
def pilotage_link(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated or request.user.is_learner:
        return {"shown": False}
    return {"shown": network_scope_of_request(request) is not None}


@register.inclusion_tag("network/_nav.html", takes_context=True)
def network_nav(context):
    request = context["request"]
    scope = network_scope_of_request(request)
    territories = list(network_territories_of(user=request.user)) if scope is not None else []
    return {"scope": scope, "territories": territories, "request": request,
            "trainer": organisations_of(user=request.user).exists(), "csrf_token": context.get("csrf_token"),
            "current": request.resolver_match.url_name if request.resolver_match else ""}
