"""« Écouter » on any phone (ADR 13): a step spoken by the server, fetched only when the learner taps the button.

The text is what the page shows in its reading area (``#lecture`` of ``learner/step.html``), as plain text. The
URL carries a short key of that text, so the file can be cached for ever: a changed step gets a new URL.
"""

import html
import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tremplin.catalog.models import Step
from tremplin.catalog.selectors import module_active, steps_of
from tremplin.lib.speech import SpeechUnavailable, speech_file, speech_key
from tremplin.progress.quiz import display_order

from .decorators import learner_required

BLOCK_END = re.compile(r"<br\s*/?>|</(p|li|h\d|dt|dd|tr|blockquote)>", re.IGNORECASE)


def _lines(html_text: str) -> list[str]:
    text = html.unescape(strip_tags(BLOCK_END.sub("\n", html_text)))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _sentence(line: str) -> str:
    """A line said as a sentence: a pause after it, even when it is a title or a list item."""
    return line if line[-1] in ".!?:;…»" else f"{line}."


def step_speech(step: Step) -> str:
    """What « Écouter » says for a step: its title and text, or a quiz's question and its choices."""
    if step.is_question:
        choices = step.data["choices"]
        lines = [_("Petit quiz"), step.title]
        if step.kind == "order":
            lines.append(_("Donnez un numéro à chaque ligne : 1 pour la première action, puis 2, puis 3…"))
        elif step.kind == "multiple":
            lines.append(_("Plusieurs réponses sont possibles."))
        lines += [choices[i].get("text") or choices[i].get("image_alt") or "" for i in display_order(step)]
    else:
        lines = [step.title, *_lines(step.body_html)]
    return "\n".join(_sentence(line) for line in (" ".join(x.split()) for x in lines) if line)


def step_listen_url(module, step: Step, number: int) -> str:
    return reverse("learner:listen_step", args=[module.slug, number, speech_key(step_speech(step))[:16]])


@learner_required(open_to_all=True)
@require_GET
def listen_step(request: HttpRequest, slug: str, number: int, sha: str) -> HttpResponse:
    module = module_active(slug=slug)
    steps = steps_of(module=module) if module is not None else []
    if not 1 <= number <= len(steps):
        raise Http404("étape inconnue")
    text = step_speech(steps[number - 1])
    if not text:
        raise Http404("rien à lire")
    current = speech_key(text)[:16]
    if sha != current:  # the step changed since the page was shown: its sound now
        return redirect("learner:listen_step", slug=module.slug, number=number, sha=current)
    try:
        path = speech_file(text)
    except SpeechUnavailable:
        # The page's script then tries the phone's own voice.
        return HttpResponse(_("La lecture à voix haute n'est pas disponible pour le moment."), status=503,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(path.read_bytes(), content_type="audio/ogg")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
