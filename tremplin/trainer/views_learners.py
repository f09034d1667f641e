"""Enrolment screens: one learner, a file of learners, login cards, PIN reset, duplicates, sharing, sign-up links."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.accounts.services import learner_pins_issue
from tremplin.audit.services import audit_log
from tremplin.lib.pdf import pdf_response
from tremplin.lib.spreadsheet import csv_writer
from tremplin.organisations.imports import ImportFileError
from tremplin.organisations.models import Enrolment, LearnerImport, Organisation, SignupLink
from tremplin.organisations.selectors import (
    duplicate_groups_in,
    learner_duplicates_in,
    learners_visible_to,
    organisations_to_share_with,
)
from tremplin.organisations.services import (
    ImportNotReady,
    ShareError,
    learner_enrol,
    learner_import_confirm,
    learner_import_prepare,
    learner_merge,
    learner_share,
    signup_link_create,
)

from . import cards as card_store
from .access import organisation_staff_required
from .forms_learners import EnrolForm, ImportForm, ReprintForm, ShareForm, SignupLinkForm

PREVIEW_ROWS = 20
ERRORS_SHOWN = 200
REPRINT_CHOICES = 200


def _learners(request, org: Organisation):
    return learners_visible_to(user=request.user, organisation=org).filter(is_active=True)


def _learner_or_404(request, org: Organisation, pk):
    return get_object_or_404(_learners(request, org), pk=pk)


def _learner_page_url(pk) -> str:
    """The learner's follow-up page, if the coaching screens provide one."""
    for name in ("trainer:followup_learner", "trainer:learner_detail"):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return ""


# --- List and export ---------------------------------------------------------------------------------------


@organisation_staff_required
@require_GET
def learner_list(request, org):
    query = request.GET.get("q", "").strip()[:100]
    learners = _learners(request, org)
    if query:
        learners = learners.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query)
                                   | Q(username__icontains=query.replace("-", "").upper()))
    page = Paginator(learners.order_by("first_name", "last_name", "username"), 50).get_page(request.GET.get("page"))
    dates = dict(Enrolment.objects.filter(organisation=org, learner__in=[u.pk for u in page])
                 .values_list("learner_id", "created_at"))
    rows = [{"user": u, "enrolled_at": dates.get(u.pk), "page_url": _learner_page_url(u.pk)} for u in page]
    audit_log(actor=request.user, action="learners.list", target_type="organisation", target_id=org.pk,
              organisation_id=org.pk, detail={"page": page.number, "q": query})
    return render(request, "trainer/learners/list.html", {
        "org": org, "page": page, "rows": rows, "query": query,
        "pending_count": len(card_store.pending(request, org)["ids"]),
    })


@organisation_staff_required
@require_GET
def learner_export(request, org):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="apprenants.csv"'
    response.write("\ufeff")  # Excel needs the BOM to read UTF-8
    writer = csv_writer(response)  # every cell safe from formula injection
    writer.writerow([_("Prénom"), _("Nom"), _("Année de naissance"), _("Code"), _("Inscrit le")])
    rows = (Enrolment.objects.filter(organisation=org, learner__is_active=True)
            .select_related("learner").order_by("learner__first_name"))
    count = 0
    for enrolment in rows.iterator(chunk_size=2000):
        u = enrolment.learner
        writer.writerow([u.first_name, u.last_name, u.birth_year or "", u.login_code_display,
                         timezone.localtime(enrolment.created_at).strftime("%d/%m/%Y")])
        count += 1
    audit_log(actor=request.user, action="learners.export", target_type="organisation", target_id=org.pk,
              organisation_id=org.pk, detail={"count": count})
    return response


# --- One learner -------------------------------------------------------------------------------------------


@organisation_staff_required
@require_http_methods(["GET", "POST"])
def learner_enrol_view(request, org):
    form = EnrolForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = learner_duplicates_in(organisation=org, first_name=data["first_name"],
                                           last_name=data["last_name"], birth_year=data["birth_year"])
        if not duplicates or data["confirm_duplicate"]:
            new = learner_enrol(organisation=org, created_by=request.user, first_name=data["first_name"],
                                last_name=data["last_name"], birth_year=data["birth_year"], phone=data["phone"],
                                contact_email=data["email"])
            audit_log(actor=request.user, action="learner.enrol", target_type="learner", target_id=new.user.pk,
                      organisation_id=org.pk)
            card_store.pending_add(request, org, ids=[str(new.user.pk)], pins={str(new.user.pk): new.pin})
            return render(request, "trainer/learners/enrolled.html", {
                "org": org, "learner": new.user, "pin": new.pin,
                "pending_count": len(card_store.pending(request, org)["ids"]),
            })
        form = EnrolForm(initial={**data, "confirm_duplicate": True})
    return render(request, "trainer/learners/enrol.html", {"org": org, "form": form, "duplicates": duplicates},
                  status=400 if form.errors else 200)


@organisation_staff_required
@require_GET
def learner_account(request, org, pk):
    learner = _learner_or_404(request, org, pk)
    enrolment = Enrolment.objects.filter(organisation=org, learner=learner).first()
    query = request.GET.get("structure", "").strip()[:100]
    share_candidates = (organisations_to_share_with(organisation=org, learner=learner, name=query)[:10]
                        if len(query) >= 2 else [])
    audit_log(actor=request.user, action="learner.view", target_type="learner", target_id=learner.pk,
              organisation_id=org.pk, detail={"screen": "account"})
    return render(request, "trainer/learners/account.html", {
        "org": org, "learner": learner, "enrolment": enrolment, "query": query,
        "share_candidates": share_candidates, "page_url": _learner_page_url(learner.pk),
        "shared_with": Organisation.objects.filter(enrolments__learner=learner).exclude(pk=org.pk),
    })


@organisation_staff_required
@require_POST
def learner_pin_reset_view(request, org, pk):
    learner = _learner_or_404(request, org, pk)
    pins = learner_pins_issue(learners=[learner], renew_card=True)
    audit_log(actor=request.user, action="learner.pin_reset", target_type="learner", target_id=learner.pk,
              organisation_id=org.pk)
    card_store.pending_add(request, org, ids=[str(learner.pk)], pins=pins)
    learner.refresh_from_db()
    return render(request, "trainer/learners/enrolled.html", {
        "org": org, "learner": learner, "pin": pins[str(learner.pk)], "reset": True,
        "pending_count": len(card_store.pending(request, org)["ids"]),
    })


@organisation_staff_required
@require_POST
def learner_share_view(request, org, pk):
    learner = _learner_or_404(request, org, pk)
    form = ShareForm(request.POST)
    raw = _uuids([request.POST.get("organisation", "")])
    target = Organisation.objects.filter(pk=raw[0]).first() if raw else None
    if target is None:
        raise Http404
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("consent", [])))
        return redirect(reverse("trainer:learner_account", args=[learner.pk]))
    try:
        learner_share(learner=learner, from_organisation=org, to_organisation=target, actor=request.user,
                      consent=form.cleaned_data["consent"])
    except ShareError:
        messages.error(request, _("Ce partage n'est pas possible : la structure suit peut-être déjà cette personne."))
        return redirect(reverse("trainer:learner_account", args=[learner.pk]))
    messages.success(request, _("%(org)s peut maintenant suivre %(name)s.")
                     % {"org": target.name, "name": learner.first_name})
    return redirect(reverse("trainer:learner_account", args=[learner.pk]))


# --- Cards -------------------------------------------------------------------------------------------------


@organisation_staff_required
@require_GET
def cards(request, org):
    state = card_store.pending(request, org)
    return render(request, "trainer/learners/cards.html", {
        "org": org, "count": len(state["ids"]), "batches": card_store.batches(state["ids"]),
        "several": len(state["ids"]) > card_store.CARDS_PER_PDF,
    })


@organisation_staff_required
@require_GET
def cards_pdf(request, org):
    """The PDF of cards waiting to be printed: one batch (``?lot=2``) or one learner (``?apprenant=<id>``)."""
    ids = card_store.pending(request, org)["ids"]
    one = request.GET.get("apprenant")
    if one:
        ids = [i for i in ids if i == one]
    else:
        try:
            batch = max(1, int(request.GET.get("lot", "1")))
        except ValueError:
            batch = 1
        ids = ids[(batch - 1) * card_store.CARDS_PER_PDF:batch * card_store.CARDS_PER_PDF]
    if not ids:
        raise Http404
    with transaction.atomic():
        card_list = card_store.cards_for(request, org, ids)
    if not card_list:
        raise Http404
    audit_log(actor=request.user, action="learners.cards_print", target_type="organisation", target_id=org.pk,
              organisation_id=org.pk, detail={"count": len(card_list)})
    return pdf_response(card_store.cards_pdf(card_list, request), "cartes-tremplin.pdf")


@organisation_staff_required
@require_POST
def cards_forget(request, org):
    card_store.pending_clear(request, org)
    messages.success(request, _("C'est noté : les codes secrets ne sont plus gardés."))
    return redirect("trainer:learners")


@organisation_staff_required
@require_http_methods(["GET", "POST"])
def cards_reprint(request, org):
    """New cards for learners already enrolled: their PIN changes (it is stored hashed, so it cannot be reprinted)."""
    query = request.GET.get("q", "").strip()[:100]
    learners = _learners(request, org).order_by("first_name", "last_name")
    if query:
        learners = learners.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query))
    choices = [(str(u.pk), f"{u.display_name} ({u.login_code_display})") for u in learners[:REPRINT_CHOICES]]
    form = ReprintForm(request.POST or None, choices=choices)
    if request.method == "POST":
        # Choices were built from the search: re-read the posted ids, scoped to this organisation.
        chosen = list(_learners(request, org).filter(pk__in=_uuids(request.POST.getlist("learners"))))
        form.fields["learners"].choices = [(str(u.pk), u.display_name) for u in chosen] or choices
        if form.is_valid() and chosen:
            pins = learner_pins_issue(learners=chosen, renew_card=True)
            audit_log(actor=request.user, action="learner.pin_reset", target_type="organisation", target_id=org.pk,
                      organisation_id=org.pk, detail={"count": len(chosen), "learners": list(pins)})
            card_store.pending_add(request, org, ids=list(pins), pins=pins)
            messages.success(request, _("Nouveaux codes secrets créés. Imprimez les cartes maintenant."))
            return redirect("trainer:cards")
    return render(request, "trainer/learners/reprint.html", {"org": org, "form": form, "query": query,
                                                             "truncated": learners.count() > REPRINT_CHOICES},
                  status=400 if form.errors else 200)


def _uuids(values: list[str]) -> list[str]:
    import uuid

    out = []
    for value in values[:REPRINT_CHOICES]:
        try:
            out.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return out


# --- Import ------------------------------------------------------------------------------------------------


@organisation_staff_required
@require_http_methods(["GET", "POST"])
def import_upload(request, org):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            learner_import = learner_import_prepare(organisation=org, created_by=request.user,
                                                    data=upload.read(), filename=upload.name)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("trainer:import_preview", pk=learner_import.pk)
    return render(request, "trainer/learners/import.html", {"org": org, "form": form},
                  status=400 if form.errors else 200)


@organisation_staff_required
@require_http_methods(["GET", "POST"])
def import_preview(request, org, pk):
    learner_import = get_object_or_404(LearnerImport, pk=pk, organisation=org, created_by=request.user)
    if request.method == "POST":
        try:
            users = learner_import_confirm(learner_import=learner_import, actor=request.user)
        except ImportNotReady:
            messages.error(request, _("Cet import ne peut pas être fait : corrigez le fichier et importez-le de "
                                      "nouveau."))
            return redirect("trainer:import_preview", pk=learner_import.pk)
        card_store.pending_add(request, org, ids=[str(u.pk) for u in users])
        messages.success(request, _("%(count)s personnes sont inscrites. Imprimez leurs cartes maintenant : chaque "
                                    "carte porte leur code secret.") % {"count": len(users)})
        return redirect("trainer:cards")
    return render(request, "trainer/learners/import_preview.html", {
        "org": org, "import": learner_import, "rows": learner_import.rows[:PREVIEW_ROWS],
        "row_count": len(learner_import.rows), "errors": learner_import.errors[:ERRORS_SHOWN],
        "error_count": len(learner_import.errors), "done": learner_import.status == LearnerImport.Status.DONE,
    })


# --- Duplicates --------------------------------------------------------------------------------------------


@organisation_staff_required
@require_GET
def duplicates(request, org):
    return render(request, "trainer/learners/duplicates.html", {
        "org": org, "groups": duplicate_groups_in(organisation=org)[:100],
    })


@organisation_staff_required
@require_POST
def duplicates_merge(request, org):
    kept = _learner_or_404(request, org, _one_uuid(request.POST.get("kept")))
    others = [_learner_or_404(request, org, pk) for pk in _uuids(request.POST.getlist("duplicates"))]
    others = [u for u in others if u.pk != kept.pk]
    if not others:
        messages.error(request, _("Cochez au moins une personne à fusionner avec celle que vous gardez."))
        return redirect("trainer:duplicates")
    from tremplin.progress.services import progress_rebuild

    with transaction.atomic():
        for duplicate in others:
            learner_merge(organisation=org, kept=kept, duplicate=duplicate, actor=request.user)
        progress_rebuild(learner=kept)
    messages.success(request, _("Fusion faite : tout est regroupé sur le compte de %(name)s (code %(code)s).")
                     % {"name": kept.display_name, "code": kept.login_code_display})
    return redirect("trainer:duplicates")


def _one_uuid(value) -> str:
    found = _uuids([value or ""])
    if not found:
        raise Http404
    return found[0]


# --- Sign-up links for a workshop room ---------------------------------------------------------------------


@organisation_staff_required
@require_http_methods(["GET", "POST"])
def signup_links(request, org):
    form = SignupLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        link = signup_link_create(organisation=org, created_by=request.user, label=form.cleaned_data["label"],
                                  hours=form.cleaned_data["hours"])
        return redirect("trainer:signup_link", pk=link.pk)
    links = SignupLink.objects.filter(organisation=org, expires_at__gt=timezone.now())
    return render(request, "trainer/learners/signup_links.html", {"org": org, "form": form, "links": links},
                  status=400 if form.errors else 200)


@organisation_staff_required
@require_GET
def signup_link_detail(request, org, pk):
    import segno

    link = get_object_or_404(SignupLink, pk=pk, organisation=org)
    url = settings.SITE_URL.rstrip("/") + reverse("join:signup", args=[link.token])
    return render(request, "trainer/learners/signup_link.html", {
        "org": org, "link": link, "url": url, "expired": link.expires_at <= timezone.now(),
        "qr": segno.make(url, error="m").svg_data_uri(scale=8, border=2),
    })
