"""Training (培训): sessions with their materials, attendance, and the year's coverage.

The plan wants every grid supervisor and coordinator trained every year (年度培训全覆盖): `training_coverage`
lists, per township, everyone who held a grid role at some time in the year and whether they attended
(present) at least one session held that year. Attendance for someone with no role that year is allowed
and flagged (`Attendance.without_role`). Township staff keep their township's sessions; the city all.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import Grid, GridLevel, Person, RoleAssignment

from ..models import Attendance, Presence, TrainingMaterial, TrainingSession
from .scope import GridworkPermissionDenied, counties_for, is_city, townships_for

MATERIAL_TYPES = {"pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "jpg", "jpeg", "png", "txt"}
MATERIAL_MAX_BYTES = 20 * 1024 * 1024
MATERIALS_COLLECTION = "培训资料"


class TrainingError(ValidationError):
    """The session or attendance cannot be saved as given; the message says why."""



def _text(value, label, *, max_length, required=True) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise TrainingError({"": [_("请填写%(label)s。") % {"label": label}]})
    if len(value) > max_length:
        raise TrainingError({"": [_("%(label)s不能超过%(max)d个字（现在%(n)d个）。")
                                  % {"label": label, "max": max_length, "n": len(value)}]})
    return value


def session_grids(user):
    """The grids a user may hold a session for: the city grid and every township for the city's staff,
    their own townships for township staff."""
    if is_city(user):
        return Grid.objects.filter(models.Q(pk__in=counties_for(user).filter(level=GridLevel.CITY))
                                   | models.Q(pk__in=townships_for(user))).in_tree_order()
    return townships_for(user)


def require_session_keeper(user, session: TrainingSession) -> None:
    """Raise unless the user may change this session (its grid is one they keep)."""
    if not session_grids(user).filter(pk=session.grid_id).exists():
        raise GridworkPermissionDenied(_("这次培训由%(grid)s主办，您只能查看。") % {"grid": session.grid.name})


def _materials_collection():
    from wagtail.models import Collection

    root = Collection.get_first_root_node()
    found = root.get_children().filter(name=MATERIALS_COLLECTION).first()
    return found or root.add_child(name=MATERIALS_COLLECTION)


def _check_files(files) -> list[str]:
    errors = []
    for upload in files:
        suffix = PurePath(upload.name or "").suffix.lower().lstrip(".")
        if suffix not in MATERIAL_TYPES:
            errors.append(_("“%(name)s”不是可以上传的资料类型；请上传 PDF、Word、PowerPoint、Excel 或图片文件。")
                          % {"name": upload.name})
        elif upload.size > MATERIAL_MAX_BYTES:
            errors.append(_("“%(name)s”超过20MB。") % {"name": upload.name})
    return errors


@transaction.atomic
def session_save(*, user, grid: Grid, held_on: datetime.date, topic: str, trainer: str, place: str,
                 note: str = "", files=(), session: TrainingSession | None = None) -> TrainingSession:
    """Create or change a training session, with new material files (kept as Wagtail documents)."""
    if not session_grids(user).filter(pk=grid.pk).exists():
        raise GridworkPermissionDenied(_("您不能为%(grid)s安排培训。") % {"grid": grid.name})
    if session is not None:
        require_session_keeper(user, session)
    errors = {}
    values = {}
    typed = {"topic": topic, "trainer": trainer, "place": place, "note": note}
    for key, label, max_length, required in (("topic", _("培训主题"), 100, True), ("trainer", _("授课人"), 100, True),
                                             ("place", _("培训地点"), 100, True), ("note", _("备注"), 1000, False)):
        try:
            values[key] = _text(typed[key], label, max_length=max_length, required=required)
        except TrainingError as exc:
            errors[key] = exc.message_dict[""]
    if not isinstance(held_on, datetime.date):
        errors["held_on"] = [_("请填写培训日期。")]
    elif held_on.year < 2000 or held_on > timezone.localdate() + datetime.timedelta(days=366):
        errors["held_on"] = [_("培训日期应在今后一年之内。")]
    elif session is not None and held_on.year != session.held_on.year and session.attendances.exists():
        errors["held_on"] = [_("已登记出勤的培训不能改到另一个年度（出勤计入该年度的培训覆盖）。")]
    file_errors = _check_files(files)
    if file_errors:
        errors["files"] = file_errors
    if errors:
        raise TrainingError(errors)
    session = session or TrainingSession(created_by=user)
    session.grid, session.held_on = grid, held_on
    for key, value in values.items():
        setattr(session, key, value)
    session.save()
    if session.attendances.exists():
        _flag_without_role(session)
    if files:
        from wagtail.documents import get_document_model

        collection = _materials_collection()
        for upload in files:
            document = get_document_model().objects.create(
                title=f"{session.topic} · {PurePath(upload.name).stem}"[:255], file=upload, collection=collection,
                uploaded_by_user=user)
            TrainingMaterial.objects.create(session=session, document=document)
    return session


# --- who held a grid role in a year --------------------------------------------------------------------

def role_holders(*, year: int, grids=None):
    """Role assignments in force at some time during `year` (on the given grids, all by default)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    found = RoleAssignment.objects.filter(start_date__lte=end).filter(
        models.Q(end_date__isnull=True) | models.Q(end_date__gt=start))
    return found if grids is None else found.filter(grid__in=grids)


def _flag_without_role(session: TrainingSession) -> None:
    holders = role_holders(year=session.held_on.year).values("person_id")
    session.attendances.update(without_role=True)
    session.attendances.filter(person_id__in=holders).update(without_role=False)


def session_people(session: TrainingSession):
    """The people expected at a session: everyone holding a role that year in its grid and the grids below."""
    grids = Grid.objects.within(session.grid)
    ids = role_holders(year=session.held_on.year, grids=grids).values("person_id")
    return Person.objects.filter(pk__in=ids).order_by("name", "id")


@transaction.atomic
def attendance_set(*, session: TrainingSession, user, marks: dict[int, str]) -> dict[str, int]:
    """Record attendance: `marks` maps person ids to present/absent/excused ("" clears a mark). Checked
    first, saved all together; people with no grid role that year are recorded and flagged."""
    require_session_keeper(user, session)
    if session.held_on > timezone.localdate():
        raise TrainingError({"": [_("培训日期（%(date)s）还没到，培训举办后再登记出勤。")
                                  % {"date": session.held_on.isoformat()}]})
    people = Person.objects.in_bulk([pk for pk in marks if isinstance(pk, int)])
    errors = []
    for pk, status in marks.items():
        if pk not in people:
            errors.append(_("编号为%(id)s的人员不存在。") % {"id": pk})
        elif status and status not in Presence.values:
            errors.append(_("%(name)s的出勤情况“%(value)s”无效，应为出席、缺席或请假。")
                          % {"name": people[pk].name, "value": status})
    if errors:
        raise TrainingError({"": errors})
    holders = set(role_holders(year=session.held_on.year).filter(person_id__in=people)
                  .values_list("person_id", flat=True))
    existing = {a.person_id: a for a in session.attendances.select_for_update().filter(person_id__in=people)}
    counts = {"saved": 0, "cleared": 0, "without_role": 0}
    for pk, status in marks.items():
        record = existing.get(pk)
        if not status:
            if record is not None:
                record.delete()
                counts["cleared"] += 1
            continue
        if record is not None and record.status == status:
            continue
        record = record or Attendance(session=session, person_id=pk)
        record.status, record.without_role, record.recorded_by = status, pk not in holders, user
        record.save()
        counts["saved"] += 1
        counts["without_role"] += int(pk not in holders)
    return counts


# --- coverage ------------------------------------------------------------------------------------------

@dataclass
class CoverageRow:
    """One grid's people (a township with its villages, or the city) and who among them was trained."""

    grid: Grid
    trained: list[Person] = field(default_factory=list)
    untrained: list[Person] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.trained) + len(self.untrained)

    @property
    def percent(self) -> int | None:
        return round(len(self.trained) * 100 / self.total) if self.total else None


def training_coverage(*, year: int, townships=None) -> list[CoverageRow]:
    """Per township (and the city first, when `townships` is None), everyone who held a grid role in the
    year, split into trained (present at a session held that year) and untrained. Three queries."""
    rows: dict[int, CoverageRow] = {}
    grids = None
    if townships is not None:
        townships = list(townships)
        grids = Grid.objects.filter(models.Q(pk__in=[t.pk for t in townships])
                                    | models.Q(parent__in=[t.pk for t in townships]))
    trained_ids = set(Attendance.objects.filter(session__held_on__year=year, status=Presence.PRESENT)
                      .values_list("person_id", flat=True))
    holders = (role_holders(year=year, grids=grids).select_related("person", "grid", "grid__parent")
               .order_by("grid__sort_order", "person__name"))
    seen: set[tuple[int, int]] = set()
    for assignment in holders:
        grid = assignment.grid
        home = grid.parent if grid.level == GridLevel.VILLAGE else grid
        row = rows.setdefault(home.pk, CoverageRow(grid=home))
        if (home.pk, assignment.person_id) in seen:
            continue
        seen.add((home.pk, assignment.person_id))
        (row.trained if assignment.person_id in trained_ids else row.untrained).append(assignment.person)
    order = {g.pk: i for i, g in enumerate(Grid.objects.exclude(level=GridLevel.VILLAGE).in_tree_order())}
    return sorted(rows.values(), key=lambda r: order.get(r.grid.pk, 0))
