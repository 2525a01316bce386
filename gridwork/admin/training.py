"""Back office: training (培训) — sessions of a year with the coverage summary, a session's form with its
materials, attendance ticked on screen or imported from a sign-in sheet, and the untrained by township."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.forms import form_errors_add
from portal.spreadsheets import upload_discard, upload_stash, upload_unstash

from ..models import Presence, TrainingSession
from ..services.scope import counties_for, is_city, townships_for
from ..services.training import (
    attendance_set,
    session_grids,
    session_people,
    session_save,
    training_coverage,
)
from ..services.training_import import SignInFileError, signin_import, signin_parse
from .base import GridworkPage, year_choices, year_from

IMPORT_DIR = "signin-imports"
IMPORT_SALT = "gridwork.signin-import"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _visible_sessions(user):
    return TrainingSession.objects.visible_to(townships_for(user), counties=counties_for(user)).select_related("grid")


def _crumbs(year=None):
    url = reverse("gridwork:training")
    return [{"url": f"{url}?year={year}" if year else url, "label": _("培训")}]




class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class SessionForm(forms.Form):
    grid = forms.ModelChoiceField(label=gettext_lazy("主办网格"), queryset=TrainingSession.objects.none())
    held_on = forms.DateField(label=gettext_lazy("培训日期"), widget=DATE)
    topic = forms.CharField(label=gettext_lazy("培训主题"), max_length=100)
    trainer = forms.CharField(label=gettext_lazy("授课人"), max_length=100)
    place = forms.CharField(label=gettext_lazy("培训地点"), max_length=100)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=1000, required=False, widget=forms.Textarea(
        attrs={"rows": 3}))
    files = MultipleFileField(label=gettext_lazy("培训资料"), required=False, help_text=gettext_lazy(
        "可一次选择多个文件：PDF、Word、PowerPoint、Excel 或图片，每个不超过20MB。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = session_grids(user)


class TrainingIndexView(GridworkPage):
    """培训: the year's sessions and each township's coverage."""

    template_name = "gridwork/training/index.html"
    title = gettext_lazy("培训")
    icon = "group"
    permission = "gridwork.view_trainingsession"

    def get(self, request):
        year = year_from(request)
        townships = townships_for(request.user)
        if not townships.exists():
            raise PermissionDenied
        city = is_city(request.user)
        sessions = (_visible_sessions(request.user).in_year(year).prefetch_related("materials__document")
                    .annotate_counts())
        coverage = training_coverage(year=year, townships=None if city else townships)
        return self.page(request, {
            "year": year, "years": year_choices(year), "sessions": sessions, "coverage": coverage,
            "keeps": set(session_grids(request.user).values_list("pk", flat=True)),
            "can_add": request.user.has_perm("gridwork.add_trainingsession"),
        })


class SessionFormView(GridworkPage):
    """A new session, or changes to one the user keeps."""

    template_name = "gridwork/training/form.html"
    icon = "edit"
    permission = "gridwork.add_trainingsession"

    def setup(self, request, *args, pk=None, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = pk

    def get_session(self):
        if self.pk is None:
            return None
        session = get_object_or_404(_visible_sessions(self.request.user), pk=self.pk)
        if not session_grids(self.request.user).filter(pk=session.grid_id).exists():
            raise PermissionDenied
        return session

    def render(self, request, form, session, status=200):
        title = _("修改培训") if session else _("新增培训")
        return self.page(request, {"form": form, "session": session, "page_title": title}, status=status,
                         crumbs=_crumbs())

    def get(self, request, pk=None):
        session = self.get_session()
        initial = {"held_on": timezone.localdate()}
        if session:
            initial = {k: getattr(session, k) for k in ("grid", "held_on", "topic", "trainer", "place", "note")}
        else:
            grids = session_grids(request.user)
            initial["grid"] = grids.first() if grids.count() == 1 else None
        return self.render(request, SessionForm(initial=initial, user=request.user), session)

    def post(self, request, pk=None):
        session = self.get_session()
        form = SessionForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = session_save(user=request.user, session=session, grid=data["grid"],
                                       held_on=data["held_on"], topic=data["topic"], trainer=data["trainer"],
                                       place=data["place"], note=data["note"], files=data["files"])
            except ValidationError as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, _("培训“%(topic)s”已保存。") % {"topic": session.topic})
                return redirect("gridwork:training_session", pk=session.pk)
        return self.render(request, form, session, status=400)


class SessionView(GridworkPage):
    """A session: its facts and materials, attendance ticked on screen, and the sign-in sheet import."""

    template_name = "gridwork/training/session.html"
    icon = "group"
    permission = "gridwork.view_trainingsession"

    def context(self, request, session, *, marks=None, errors=(), preview=None, token=None):
        recorded = {a.person_id: a for a in session.attendances.select_related("person")}
        expected = list(session_people(session))
        expected_ids = {p.pk for p in expected}
        extra = [a.person for a in recorded.values() if a.person_id not in expected_ids]
        rows = [{"person": p, "status": (marks or {}).get(p.pk, recorded[p.pk].status if p.pk in recorded else ""),
                 "without_role": recorded[p.pk].without_role if p.pk in recorded else False}
                for p in expected + sorted(extra, key=lambda p: p.name)]
        keeper = session_grids(request.user).filter(pk=session.grid_id).exists() and request.user.has_perm(
            "gridwork.add_attendance")
        counts = {s: sum(1 for a in recorded.values() if a.status == s) for s in Presence.values}
        return {"session": session, "rows": rows, "choices": Presence.choices, "keeper": keeper,
                "held": session.held_on <= timezone.localdate(), "errors": errors, "preview": preview,
                "token": token, "counts": counts, "flagged": sum(1 for a in recorded.values() if a.without_role),
                "page_title": session.topic}

    def get_session(self, request, pk):
        return get_object_or_404(_visible_sessions(request.user).prefetch_related("materials__document"), pk=pk)

    def get(self, request, pk):
        session = self.get_session(request, pk)
        return self.page(request, self.context(request, session), crumbs=_crumbs(session.held_on.year))

    def post(self, request, pk):
        session = self.get_session(request, pk)
        if not request.user.has_perm("gridwork.add_attendance"):
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "upload":
            return self.upload(request, session)
        if action == "confirm":
            return self.confirm(request, session)
        marks = {}
        for key, value in request.POST.items():
            if key.startswith("p-") and key[2:].isdigit():
                marks[int(key[2:])] = value
        try:
            counts = attendance_set(session=session, user=request.user, marks=marks)
        except ValidationError as exc:
            return self.page(request, self.context(request, session, marks=marks, errors=exc.messages), status=400,
                             crumbs=_crumbs(session.held_on.year))
        self.saved_message(request, counts)
        return redirect("gridwork:training_session", pk=session.pk)

    def saved_message(self, request, counts):
        messages.success(request, _("出勤已保存：登记 %(saved)d 人，清除 %(cleared)d 人。") % counts)
        if counts["without_role"]:
            messages.warning(request, _("其中 %(n)d 人当年没有网格岗位，已登记并标注。") % {"n": counts["without_role"]})

    def upload(self, request, session):
        upload = request.FILES.get("sheet")
        errors = []
        preview = token = None
        if upload is None:
            errors = [_("请选择签到表文件（.xlsx 或 .csv）。")]
        else:
            content = upload.read()
            try:
                preview = signin_parse(session=session, content=content, filename=upload.name)
            except SignInFileError as exc:
                errors = [str(exc)]
            else:
                if preview.ok:
                    token = upload_stash(content=content, filename=upload.name, folder=IMPORT_DIR, salt=IMPORT_SALT,
                                         user=request.user, extra={"s": session.pk})
        status = 200 if preview is not None and preview.ok else 400
        return self.page(request, self.context(request, session, errors=errors, preview=preview, token=token),
                         status=status, crumbs=_crumbs(session.held_on.year))

    def confirm(self, request, session):
        stashed = upload_unstash(token=request.POST.get("token", ""), folder=IMPORT_DIR, salt=IMPORT_SALT,
                                 user=request.user)
        if stashed is None or stashed[1].get("s") != session.pk:
            messages.error(request, _("导入确认已过期或无效，请重新上传签到表。"))
            return redirect("gridwork:training_session", pk=session.pk)
        content, data = stashed
        preview = signin_parse(session=session, content=content, filename=data["f"])  # people may have changed
        try:
            counts = signin_import(preview=preview, user=request.user)
        except ValidationError as exc:
            return self.page(request, self.context(request, session, errors=exc.messages, preview=preview),
                             status=400, crumbs=_crumbs(session.held_on.year))
        upload_discard(data=data, folder=IMPORT_DIR)
        self.saved_message(request, counts)
        return redirect("gridwork:training_session", pk=session.pk)


class CoverageView(GridworkPage):
    """未参训人员: everyone who held a grid role in the year without attending a session, by township."""

    template_name = "gridwork/training/coverage.html"
    title = gettext_lazy("培训覆盖情况")
    icon = "group"
    permission = "gridwork.view_trainingsession"

    def get(self, request):
        year = year_from(request)
        townships = townships_for(request.user)
        if not townships.exists():
            raise PermissionDenied
        coverage = training_coverage(year=year, townships=townships)
        return self.page(request, {"year": year, "years": year_choices(year), "coverage": coverage,
                                   "untrained": sum(len(r.untrained) for r in coverage)}, crumbs=_crumbs(year))
