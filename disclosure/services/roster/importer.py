"""The roster import, step two: apply a checked preview in one transaction; the page's hint."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ...models import Grid, Person, RoleAssignment
from ..grids import role_assign, role_end
from .parsing import RosterPreview


@transaction.atomic
def roster_import(*, preview: RosterPreview, by=None) -> dict[str, int]:
    """Apply a checked roster: every row in one transaction, or nothing when any row has an error.

    Returns counts of people added, replaced, ended and updated, and of notes changed.
    """
    if not preview.ok:
        raise ValidationError(_("人员名单有%(n)d行存在错误，未导入任何数据。") % {"n": preview.error_count})
    counts = {"added": 0, "replaced": 0, "ended": 0, "updated": 0, "notes": 0}
    made: dict[tuple[str, str], Person] = {}
    for row in preview.rows:
        grid = Grid.objects.select_for_update().get(pk=row.grid.pk)
        for change in row.changes:
            for holder in change.update:
                person = Person.objects.get(pk=holder.person.pk)
                if str(_("电话")) in holder.updates:
                    person.phone = holder.phone
                if str(_("职务")) in holder.updates:
                    person.position = holder.position
                person.save()
                person.save_revision(user=by, log_action=True)
                counts["updated"] += 1
            newcomers = []
            for holder in change.add:
                person = holder.person or made.get((holder.name, holder.phone))
                if person is None:
                    person = Person(name=holder.name, position=holder.position, phone=holder.phone,
                                    note=_("由人员名单导入"))
                    person.full_clean()
                    person.save()
                    person.save_revision(user=by, log_action="wagtail.create")
                    made[(holder.name, holder.phone)] = person
                newcomers.append(person)
            note = _("人员名单导入")
            if len(change.end) == 1 and len(newcomers) == 1 and not change.keep:
                role_assign(person=newcomers[0], grid=grid, role=change.role, start_date=preview.start_date,
                            replace=True, note=note, by=by)
                counts["replaced"] += 1
                continue
            for assignment in change.end:
                role_end(assignment=RoleAssignment.objects.get(pk=assignment.pk), end_date=preview.start_date)
                counts["ended"] += 1
            for person in newcomers:
                role_assign(person=person, grid=grid, role=change.role, start_date=preview.start_date,
                            replace=False, note=note, by=by)
                counts["added"] += 1
        if row.note is not None:
            grid.note = row.note
            grid.save()
            grid.save_revision(user=by, log_action=True)
            counts["notes"] += 1
    return counts


def roster_template_hint() -> str:
    """How to fill the roster file, for the import page."""
    return _("请先导出人员名单（Excel 或 CSV），在其中修改后上传。每个网格一行，列与实施方案的人员名单一致；"
             "检测员和协管员一栏写“姓名 电话”，多人时每人一行；留空的栏保持不变，写“空缺”表示该岗位现任人员离任。")
