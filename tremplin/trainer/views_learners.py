"""Enrolment screens: one learner, a file of learners, login cards, PIN reset, duplicates, sharing, sign-up links."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.accounts.services import sign_in_attempt_start, sign_in_failure_record
from tremplin.coaching import services as coaching_services
from tremplin.lib.pdf import pdf_response
from tremplin.lib.spreadsheet import csv_writer
from tremplin.organisations.access import access_record, found_or_404, parse_ids
from tremplin.organisations.imports import ImportFileError
from tremplin.organisations.models import LearnerImport
from tremplin.organisations.selectors import (
    duplicate_groups_of,
    enrolled_with_token,
    enrolment_dates,
    enrolment_of,
    enrolments_of,
    learner_duplicates_of,
    learner_import_of,
    learner_of,
    learners_among,
    learners_of,
    organisations_following,
    share_target,
    share_targets,
    signup_link_of,
    signup_links_of,
)
from tremplin.organisations.services import (
    AlreadyFollowed,
    ImportNotReady,
    ShareError,
    learner_enrol,
    learner_enrol_existing,
    learner_import_confirm,
    learner_import_prepare,
    learner_pins_reset,
    learner_share,
    signup_link_create,
)

from . import cards as card_store
from .decorators import trainer_required
from .forms_learners import EnrolExistingForm, EnrolForm, ImportForm, ReprintForm, ShareForm, SignupLinkForm

PREVIEW_ROWS = 20
ERRORS_SHOWN = 200
REPRINT_CHOICES = 200


def _learner_page_url(pk) -> str:
    """The learner's follow-up page, if the coaching screens provide one."""
    for name in ("trainer:followup_learner", "trainer:learner_detail"):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return ""


# --- List and export ---------------------------------------------------------------------------------------


@trainer_required
@require_GET
def learner_list(request, scope):
    org = scope.organisation
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    learners = learners_of(scope=scope)
    if query:
        learners = learners.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query)
                                   | Q(username__icontains=query.replace("-", "").upper()))
    page = Paginator(learners.order_by("first_name", "last_name", "username"), 50).get_page(request.GET.get("page"))
    dates = enrolment_dates(scope=scope, learner_ids=[u.pk for u in page])
    rows = [{"user": u, "enrolled_at": dates.get(u.pk), "page_url": _learner_page_url(u.pk)} for u in page]
    access_record(scope=scope, action="learners.list", target_type="organisation", target_id=org.pk,
                  detail={"page": page.number, "q": query})
    return render(request, "trainer/learners/list.html", {
        "org": org, "page": page, "rows": rows, "query": query,
        "pending_count": len(card_store.pending(request, org)["ids"]),
    })


@trainer_required
@require_GET
def learner_export(request, scope):
    org = scope.organisation
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="apprenants.csv"'
    response.write("\ufeff")  # Excel needs the BOM to read UTF-8
    writer = csv_writer(response)  # every cell safe from formula injection
    writer.writerow([_("Prénom"), _("Nom"), _("Année de naissance"), _("Code"), _("Inscrit le")])
    rows = enrolments_of(scope=scope)
    count = 0
    for enrolment in rows.iterator(chunk_size=2000):
        u = enrolment.learner
        writer.writerow([u.first_name, u.last_name, u.birth_year or "", u.login_code_display,
                         timezone.localtime(enrolment.created_at).strftime("%d/%m/%Y")])
        count += 1
    access_record(scope=scope, action="learners.export", target_type="organisation", target_id=org.pk,
                  detail={"count": count})
    return response


# --- One learner -------------------------------------------------------------------------------------------


@trainer_required
@require_http_methods(["GET", "POST"])
def learner_enrol_view(request, scope):
    org = scope.organisation
    form = EnrolForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The same form sent twice: the person is enrolled already (and would look like their own duplicate).
        if (already := enrolled_with_token(scope=scope, client_token=data["token"])) is not None:
            return _enrolled_already(request, org, already)
        duplicates = learner_duplicates_of(scope=scope, first_name=data["first_name"],
                                           last_name=data["last_name"], birth_year=data["birth_year"])
        if duplicates and not data["confirm_duplicate"]:
            form = EnrolForm(initial={**data, "confirm_duplicate": True})
        else:
            try:
                new = learner_enrol(organisation=org, created_by=request.user, first_name=data["first_name"],
                                    last_name=data["last_name"], birth_year=data["birth_year"],
                                    phone=data["phone"], contact_email=data["email"], client_token=data["token"])
            except ValidationError as exc:  # a token another organisation used
                form.add_error(None, exc.messages)
            else:
                if not new.pin:  # the other tap of a double submit enrolled them a moment ago
                    return _enrolled_already(request, org, new.user)
                card_store.pending_add(request, org, ids=[str(new.user.pk)], pins={str(new.user.pk): new.pin})
                return render(request, "trainer/learners/enrolled.html", {
                    "org": org, "learner": new.user, "pin": new.pin,
                    "pending_count": len(card_store.pending(request, org)["ids"]),
                })
    return render(request, "trainer/learners/enrol.html", {"org": org, "form": form, "duplicates": duplicates},
                  status=400 if form.errors else 200)


def _enrolled_already(request, org, learner):
    """The enrolment form came twice: the PIN was shown the first time and cannot be shown again."""
    if str(learner.pk) in card_store.pending(request, org)["ids"]:
        messages.info(request, _("Cette personne est déjà inscrite (le formulaire est parti deux fois). Sa carte "
                                 "attend dans « Cartes à imprimer »."))
    else:
        messages.info(request, _("Cette personne est déjà inscrite (le formulaire est parti deux fois)."))
    return redirect("trainer:learner_account", pk=learner.pk)


@trainer_required
@require_GET
def learner_account(request, pk, scope):
    learner = found_or_404(learner_of(scope=scope, learner_id=pk))
    query = request.GET.get("structure", "").replace("\x00", "").strip()[:100]
    share_candidates = share_targets(scope=scope, learner=learner, name=query)[:10] if len(query) >= 2 else []
    access_record(scope=scope, action="learner.view", target_type="learner", target_id=learner.pk,
                  detail={"screen": "account"})
    return render(request, "trainer/learners/account.html", {
        "org": scope.organisation, "learner": learner, "enrolment": enrolment_of(scope=scope, learner=learner),
        "query": query, "share_candidates": share_candidates, "page_url": _learner_page_url(learner.pk),
        "shared_with": organisations_following(scope=scope, learner=learner),
    })


@trainer_required
@require_POST
def learner_pin_reset_view(request, pk, scope):
    org = scope.organisation
    learner = found_or_404(learner_of(scope=scope, learner_id=pk))
    pins = learner_pins_reset(organisation=org, learners=[learner], actor=request.user)
    card_store.pending_add(request, org, ids=[str(learner.pk)], pins=pins)
    learner.refresh_from_db()
    return render(request, "trainer/learners/enrolled.html", {
        "org": org, "learner": learner, "pin": pins[str(learner.pk)], "reset": True,
        "pending_count": len(card_store.pending(request, org)["ids"]),
    })


@trainer_required
@require_POST
def learner_share_view(request, pk, scope):
    org = scope.organisation
    learner = found_or_404(learner_of(scope=scope, learner_id=pk))
    form = ShareForm(request.POST)
    target = found_or_404(share_target(scope=scope, learner=learner, organisation_id=request.POST.get("organisation")))
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


@trainer_required
@require_http_methods(["GET", "POST"])
def learner_enrol_existing_view(request, scope):
    """Enrol a person who already has a code and PIN (they learnt alone, or another structure enrolled them)."""
    form = EnrolExistingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = sign_in_attempt_start(request=request)
        if wait:
            form.add_error(None, _("Beaucoup d'essais ont échoué depuis ce lieu. Attendez %(n)s secondes puis "
                                   "réessayez.") % {"n": wait})
            return render(request, "trainer/learners/enrol_existing.html", {"form": form}, status=429)
        learner = authenticate(request, username=form.cleaned_data["code"], password=form.cleaned_data["pin"])
        if learner is None or not learner.is_learner:
            sign_in_failure_record(request=request)
            form.add_error("pin", _("Le code ou le code secret n'est pas bon. Vérifiez la carte de la personne."))
        else:
            try:
                learner_enrol_existing(organisation=scope.organisation, learner=learner, actor=request.user)
            except AlreadyFollowed:
                messages.info(request, _("%(name)s est déjà suivi par votre structure.")
                              % {"name": learner.display_name})
            else:
                messages.success(request, _("%(name)s est inscrit dans votre structure, avec tout ce qu'il a déjà "
                                            "fait.") % {"name": learner.display_name})
            return redirect("trainer:learner_account", pk=learner.pk)
    return render(request, "trainer/learners/enrol_existing.html", {"form": form},
                  status=400 if form.errors else 200)


# --- Cards -------------------------------------------------------------------------------------------------


@trainer_required
@require_GET
def cards(request, scope):
    org = scope.organisation
    state = card_store.pending(request, org)
    return render(request, "trainer/learners/cards.html", {
        "org": org, "count": len(state["ids"]), "batches": card_store.batches(state["ids"]),
        "several": len(state["ids"]) > card_store.CARDS_PER_PDF,
    })


@trainer_required
@require_GET
def cards_pdf(request, scope):
    """The PDF of cards waiting to be printed: one batch (``?lot=2``) or one learner (``?apprenant=<id>``)."""
    org = scope.organisation
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
    card_list = card_store.cards_for(request, org, ids)
    if not card_list:
        raise Http404
    access_record(scope=scope, action="learners.cards_print", target_type="organisation", target_id=org.pk,
                  detail={"count": len(card_list)})
    return pdf_response(card_store.cards_pdf(card_list, request), "cartes-tremplin.pdf")


@trainer_required
@require_POST
def cards_forget(request, scope):
    org = scope.organisation
    card_store.pending_clear(request, org)
    messages.success(request, _("C'est noté : les codes secrets ne sont plus gardés."))
    return redirect("trainer:learners")


@trainer_required
@require_http_methods(["GET", "POST"])
def cards_reprint(request, scope):
    org = scope.organisation
    """New cards for learners already enrolled: their PIN changes (it is stored hashed, so it cannot be reprinted)."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    learners = learners_of(scope=scope)
    if query:
        learners = learners.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query))
    choices = [(str(u.pk), f"{u.display_name} ({u.login_code_display})") for u in learners[:REPRINT_CHOICES]]
    form = ReprintForm(request.POST or None, choices=choices)
    if request.method == "POST":
        # Choices were built from the search: re-read the posted ids, scoped to this organisation.
        chosen = learners_among(scope=scope, learner_ids=request.POST.getlist("learners")[:REPRINT_CHOICES])
        form.fields["learners"].choices = [(str(u.pk), u.display_name) for u in chosen] or choices
        if form.is_valid() and chosen:
            pins = learner_pins_reset(organisation=org, learners=chosen, actor=request.user)
            card_store.pending_add(request, org, ids=list(pins), pins=pins)
            messages.success(request, _("Nouveaux codes secrets créés. Imprimez les cartes maintenant."))
            return redirect("trainer:cards")
    return render(request, "trainer/learners/reprint.html", {"org": org, "form": form, "query": query,
                                                             "truncated": learners.count() > REPRINT_CHOICES},
                  status=400 if form.errors else 200)


# --- Import ------------------------------------------------------------------------------------------------


@trainer_required
@require_http_methods(["GET", "POST"])
def import_upload(request, scope):
    org = scope.organisation
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


@trainer_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk, scope):
    org = scope.organisation
    learner_import = found_or_404(learner_import_of(scope=scope, import_id=pk))
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


@trainer_required
@require_GET
def duplicates(request, scope):
    page = duplicate_groups_of(scope=scope, page=request.GET.get("page"), per_page=DUPLICATES_PAGE)
    return render(request, "trainer/learners/duplicates.html", {
        "org": scope.organisation, "groups": page.object_list, "page": page,
    })


DUPLICATES_PAGE = 20  # sets of look-alikes a page: each one is a form of its own


@trainer_required
@require_POST
def duplicates_merge(request, scope):
    kept = found_or_404(learner_of(scope=scope, learner_id=request.POST.get("kept")))
    wanted = parse_ids(request.POST.getlist("duplicates"), limit=100)
    others = learners_among(scope=scope, learner_ids=wanted)
    if len(others) != len(wanted):  # a forged or foreign id: refuse the whole merge
        raise Http404
    others = [u for u in others if u.pk != kept.pk]
    if not others:
        messages.error(request, _("Cochez au moins une personne à fusionner avec celle que vous gardez."))
        return redirect("trainer:duplicates")
    coaching_services.duplicates_merge(organisation=scope.organisation, kept=kept, duplicates=others, actor=request.user)
    messages.success(request, _("Fusion faite : tout est regroupé sur le compte de %(name)s (code %(code)s).")
                     % {"name": kept.display_name, "code": kept.login_code_display})
    return redirect("trainer:duplicates")


# --- Sign-up links for a workshop room ---------------------------------------------------------------------


@trainer_required
@require_http_methods(["GET", "POST"])
def signup_links(request, scope):
    org = scope.organisation
    form = SignupLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        link = signup_link_create(organisation=org, created_by=request.user, label=form.cleaned_data["label"],
                                  hours=form.cleaned_data["hours"])
        return redirect("trainer:signup_link", pk=link.pk)
    links = signup_links_of(scope=scope)
    return render(request, "trainer/learners/signup_links.html", {"org": org, "form": form, "links": links},
                  status=400 if form.errors else 200)


@trainer_required
@require_GET
def signup_link_detail(request, pk, scope):
    import segno

    org = scope.organisation
    link = found_or_404(signup_link_of(scope=scope, link_id=pk))
    url = settings.SITE_URL.rstrip("/") + reverse("join:signup", args=[link.token])
    return render(request, "trainer/learners/signup_link.html", {
        "org": org, "link": link, "url": url, "expired": link.expires_at <= timezone.now(),
        "qr": segno.make(url, error="m").svg_data_uri(scale=8, border=2),
    })
