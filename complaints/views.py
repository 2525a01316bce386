"""Public views of the complaints app: the form, the receipt, tracking; and the staff-only photo view.

Views stay thin: forms check input, complaints.services do the work, complaints.ratelimit guards.
"""

import time
import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from disclosure.models import Producer
from disclosure.services.producers import normalise_code

from . import ratelimit
from .forms import (
    ComplaintForm,
    RateForm,
    ReopenForm,
    TrackForm,
    form_token_new,
    form_token_read,
    photos_token,
    staged_photo_read,
    staged_photo_token,
)
from .models import Attachment, Complaint, StagedUpload
from .selectors import action_photo_for, complaint_photo_for, public_summary, public_timeline
from .services import (
    ComplaintError,
    DuplicateSubmission,
    PhotoRejected,
    can_rate,
    can_reopen,
    complaint_find,
    complaint_rate,
    complaint_reopen_request,
    complaint_submit,
    reopen_deadline,
    staged_upload_create,
)

RECEIPT_SESSION = "complaints_receipt"
TRACK_SESSION = "complaints_tracking"
TRACK_SESSION_SECONDS = 30 * 60  # a tracking session on a shared computer ends by itself


def _no_store(response):
    response["Cache-Control"] = "no-store, private"
    return response


def _prefill_producer(request):
    """(producer, unknown code) from ?producer=<CODE>, the QR-code link from a signboard."""
    raw = request.GET.get("producer", "")
    if not raw:
        return None, ""
    code = normalise_code(raw)[:20]
    producer = Producer.objects.published().filter(code=code).select_related("village", "village__parent").first()
    return producer, ("" if producer else code)


def _initial(producer) -> dict:
    initial = {"form_token": form_token_new()}
    if producer is not None:
        initial.update({"producer": f"{producer.name}（{producer.code}）",
                        "place_township": producer.village.parent_id, "place_village": str(producer.village_id)})
    return initial


def _stage_new_photos(form: ComplaintForm) -> list[StagedUpload]:
    """Check and keep the photos chosen this time; each rejected one gets its message beside the field."""
    if form.honeypot_tripped or not form.form_id or "photos" in form.errors:
        return []
    staged = []
    for upload in form.cleaned_data.get("photos") or []:
        try:
            staged.append(staged_upload_create(upload=upload))
        except PhotoRejected as exc:
            form.add_error("photos", exc.messages[0])
    return staged


def _add_service_errors(form: ComplaintForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _receipt_redirect(request, complaint: Complaint, repeat: bool):
    request.session[RECEIPT_SESSION] = {"code": complaint.tracking_code, "repeat": repeat}
    return HttpResponseRedirect(reverse("complaints:receipt"))


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    """/complaints/new/: the form. Keeps everything typed (and the photos) across a failed submit."""
    producer, unknown_code = _prefill_producer(request)
    if request.method == "POST":
        if not ratelimit.hit(request, "submit_attempt"):
            return ratelimit.too_many(request, "submit_attempt")
        data = request.POST.copy()
        token = form_token_read(data.get("form_token", ""))
        if token is not None:
            existing = Complaint.objects.filter(submission_key=uuid.UUID(token["id"])).first()
            if existing is not None:  # the same form sent again (double tap, back and resubmit)
                return _receipt_redirect(request, existing, repeat=True)
        form = ComplaintForm(data, request.FILES, producer=producer)
        form.is_valid()
        kept = form.kept_after_removal() + _stage_new_photos(form)
        if form.form_id is None:
            data["form_token"] = form_token_new()
            kept = []
        else:
            data["photos_token"] = photos_token(form.form_id, [str(s.pk) for s in kept])
        data.setlist("remove_photos", [])
        form.kept = kept
        if not form.errors:
            if not ratelimit.allowed(request, "submit"):
                return ratelimit.too_many(request, "submit")
            values = form.cleaned_data
            try:
                complaint = complaint_submit(
                    kind=values["kind"], category=values["category"], description=values["description"],
                    producer=form.producer_obj, producer_text=form.producer_leftover,
                    place_township=values.get("place_township"), place_village=values.get("place_village"),
                    address=values.get("address", ""), reporter_name=values.get("reporter_name", ""),
                    reporter_phone=values.get("reporter_phone", ""),
                    reporter_email=values.get("reporter_email", ""), anonymous=values.get("anonymous", False),
                    consent=True, staged_ids=[s.pk for s in kept], submission_key=uuid.UUID(form.form_id))
            except DuplicateSubmission as dup:
                return _receipt_redirect(request, dup.complaint, repeat=True)
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                ratelimit.count(request, "submit")
                return _receipt_redirect(request, complaint, repeat=False)
    else:
        form = ComplaintForm(initial=_initial(producer), producer=producer)
    kept_photos = [{"id": str(s.pk), "name": s.original_name, "size": s.original_size,
                    "thumb": reverse("complaints:staged_photo", args=[staged_photo_token(s.pk)])} for s in form.kept]
    error_count = sum(len(v) for v in form.errors.values()) if form.is_bound else 0
    return _no_store(render(request, "complaints/new.html", {
        "form": form, "producer": producer, "unknown_code": unknown_code, "kept_photos": kept_photos,
        "error_count": error_count,
    }))


@never_cache
@require_GET
def receipt(request):
    """回执: the tracking code of what was just submitted, printable."""
    info = request.session.get(RECEIPT_SESSION)
    complaint = Complaint.objects.filter(tracking_code=(info or {}).get("code", "")).first() if info else None
    if complaint is None:
        return _no_store(render(request, "complaints/receipt_missing.html", status=404))
    return _no_store(render(request, "complaints/receipt.html", {
        "summary": public_summary(complaint), "repeat": info.get("repeat", False),
        "code_parts": complaint.display_code.split("-"), "accept_due": complaint.accept_due,
        "anonymous": complaint.anonymous, "has_email": bool(complaint.reporter_email),
    }))


def _tracked(request) -> Complaint | None:
    info = request.session.get(TRACK_SESSION)
    if not info or time.time() - info.get("t", 0) > TRACK_SESSION_SECONDS:
        return None
    return Complaint.objects.filter(tracking_code=info.get("code", "")).select_related(
        "grid", "grid__parent", "duplicate_of", "place_village", "place_village__parent", "place_township").first()


def _track_page(request, complaint=None, *, track_form=None, rate_form=None, reopen_form=None, status=200):
    context = {"track_form": track_form or TrackForm()}
    if complaint is not None:
        context.update({
            "summary": public_summary(complaint), "timeline": public_timeline(complaint),
            "can_rate": can_rate(complaint), "can_reopen": can_reopen(complaint),
            "reopen_deadline": reopen_deadline(complaint),
            "rate_form": rate_form or RateForm(), "reopen_form": reopen_form or ReopenForm(),
        })
    return _no_store(render(request, "complaints/track.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    """/complaints/track/: enter the code, see the public timeline (states, dates, public replies)."""
    if request.method == "POST":
        if not ratelimit.hit(request, "track"):
            return ratelimit.too_many(request, "track")
        form = TrackForm(request.POST)
        if form.is_valid():
            complaint = complaint_find(code=form.cleaned_data["code"])
            if complaint is not None:
                request.session[TRACK_SESSION] = {"code": complaint.tracking_code, "t": time.time()}
                return HttpResponseRedirect(reverse("complaints:track"))
            form.add_error("code", _("没有找到这个查询码。请对照回执逐位核对；刚刚提交的投诉举报也可以立即查到。"))
        return _track_page(request, track_form=form, status=200)
    return _track_page(request, _tracked(request))


def _act_on_tracked(request, form_class, act, done_message, form_name):
    """A reporter's action on the complaint being tracked: rate limited like look-ups, refused with the
    service's reason, and on bad input the tracking page again with the form's messages."""
    if not ratelimit.hit(request, "track"):
        return ratelimit.too_many(request, "track")
    complaint = _tracked(request)
    if complaint is None:
        messages.error(request, _("查询已结束，请重新输入查询码。"))
        return HttpResponseRedirect(reverse("complaints:track"))
    form = form_class(request.POST)
    if not form.is_valid():
        return _track_page(request, complaint, **{form_name: form})
    try:
        act(complaint, form.cleaned_data)
    except ComplaintError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, done_message)
    return HttpResponseRedirect(reverse("complaints:track"))


@never_cache
@require_POST
def track_rate(request):
    """Rate the handling of the complaint being tracked (once, after closing)."""
    return _act_on_tracked(
        request, RateForm,
        lambda complaint, data: complaint_rate(complaint=complaint, rating=data["rating"], comment=data["comment"]),
        _("谢谢您的评价。"), "rate_form")


@never_cache
@require_POST
def track_reopen(request):
    """Ask, within 15 days of closing, for the complaint being tracked to be handled again."""
    return _act_on_tracked(
        request, ReopenForm,
        lambda complaint, data: complaint_reopen_request(complaint=complaint, reason=data["reason"]),
        _("已申请重新办理，我们会尽快处理。"), "reopen_form")


@require_POST
def track_end(request):
    """End the tracking session (on a shared computer, for example)."""
    request.session.pop(TRACK_SESSION, None)
    return HttpResponseRedirect(reverse("complaints:track"))


@require_GET
def producer_options(request):
    """Suggestions for the producer field (a progressive enhancement; the form works without it)."""
    query = (request.GET.get("q") or "").strip()[:30]
    if len(query) < 2:
        return JsonResponse({"results": []})
    if not ratelimit.hit(request, "producer_lookup"):
        return JsonResponse({"results": [], "error": _("查询过于频繁，请稍后再试。")}, status=429)
    producers = (Producer.objects.served().published().filter(Q(name__icontains=query) | Q(code__iexact=query))
                 .select_related("village", "village__parent").order_by("name")[:8])
    response = JsonResponse({"results": [
        {"value": f"{p.name}（{p.code}）", "place": p.village.full_name} for p in producers]},
        json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def staged_photo(request, token: str):
    """A thumbnail of a photo kept across a failed submit, for the person who chose it (signed link)."""
    staged_id = staged_photo_read(token)
    staged = StagedUpload.objects.filter(pk=staged_id).first() if staged_id else None
    if staged is None:
        raise Http404
    return _no_store(FileResponse(staged.thumbnail.open("rb"), content_type="image/jpeg"))


@require_GET
def action_photo(request, pk: int, thumbnail: bool = False):
    """A photo staff attached to an action: for staff who may see that complaint; 404 for everyone else
    (it is never public, not even to the reporter)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    file = action_photo_for(user=request.user, photo_id=pk, thumbnail=thumbnail)
    if file is None:
        raise Http404
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="action-photo-{pk}.jpg"'
    return _no_store(response)


def photo(request, pk: int, thumbnail: bool = False):
    """A complaint photo, for logged-in staff who may see that complaint; nobody else."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    file = complaint_photo_for(user=request.user, attachment_id=pk, thumbnail=thumbnail)
    if file is None:
        if Attachment.objects.filter(pk=pk).exists():
            return HttpResponseForbidden(_("您无权查看这张照片：它所属的投诉举报不在您负责的网格范围内。"))
        raise Http404
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="complaint-photo-{pk}.jpg"'
    return _no_store(response)
