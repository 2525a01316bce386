"""Background jobs of the disclosure app (portal/jobs.py runs them in the task worker): the signboards of a
township or a village as one PDF, and large registry and roster imports."""

import datetime
import tempfile
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_noop

from portal.jobs import JobFailed, JobOutput, background_job
from portal.spreadsheets import upload_discard, upload_unstash

from .models import Grid, GridLevel
from .services.registry_import import registry_import, registry_parse
from .services.roster import roster_import, roster_parse
from .services.signboard_render import signboards_pdf_write
from .services.signboards import PAPERS, signboards_for_grid

SIGNBOARDS_KIND = "disclosure.township_signboards"
REGISTRY_KIND = "disclosure.registry_import"
# Where a previewed registry file waits for its confirmation, and the salt of the token naming it.
REGISTRY_UPLOADS = "producer-imports"
REGISTRY_SALT = "disclosure.registry-import"
# A confirmed registry file with more rows than this is saved by the worker, not in the request.
REGISTRY_BACKGROUND_ROWS = 200
ROSTER_KIND = "disclosure.roster_import"
ROSTER_UPLOADS = "roster-imports"
ROSTER_SALT = "disclosure.roster-import"
# The same for the roster (a row per grid: a county's roster is a hundred rows or so, a prefecture's more).
ROSTER_BACKGROUND_ROWS = 200


@background_job
def grid_signboards_job(job, progress) -> JobOutput:
    """Register (or reuse) the signs of every published producer of the township or village in job.params,
    and draw them into one PDF, a page per sign; progress counts the signs drawn."""
    params = job.params
    grid = (Grid.objects.filter(level__in=[GridLevel.TOWNSHIP, GridLevel.VILLAGE])
            .filter(pk=params.get("grid", params.get("township"))).first())
    paper = params.get("paper", "A3")
    if grid is None:
        raise JobFailed(gettext_noop("该网格已不存在，未能打印公示牌。"))
    if paper not in PAPERS:
        raise JobFailed(gettext_noop("纸张规格“%(paper)s”无效。"), paper=str(paper)[:10])
    signs = signboards_for_grid(grid=grid, paper=paper, by=job.started_by,
                                    force=bool(params.get("renumber")),
                                    progress=lambda number, total, producer: progress(0, total))
    if not signs:
        raise JobFailed(gettext_noop("%(name)s没有公开的生产主体。"), name=grid.name)
    with tempfile.NamedTemporaryFile(prefix="signboards-", suffix=".pdf", delete=False) as out:
        try:
            signboards_pdf_write(signs=signs, out=out, paper=paper,
                                 progress=lambda number, total, sign: progress(number, total))
        except BaseException:
            Path(out.name).unlink(missing_ok=True)
            raise
    return JobOutput(filename=f"signboards-{grid.slug}-{timezone.localdate():%Y%m%d}-{paper}.pdf",
                     path=Path(out.name),
                     message=gettext_noop("共 %(count)d 块公示牌，每牌一页。"), params={"count": len(signs)})


def _confirmed_import(job, progress, *, folder: str, salt: str, parse, apply, changed: str) -> dict:
    """The shared course of a confirmed import: take the stashed file named by job.params["token"] (the
    user's own), check it again with `parse(content, data)`, save every row or none with `apply(preview)`,
    and discard the file. The rows are saved in one transaction, so progress moves from none to all."""
    stashed = upload_unstash(token=job.params.get("token", ""), folder=folder, salt=salt, user=job.started_by)
    if stashed is None:
        raise JobFailed(gettext_noop("导入确认已过期或无效，请重新上传文件。"))
    content, data = stashed
    preview = parse(content, data)
    progress(0, len(preview.rows))
    if not preview.ok:
        raise JobFailed(changed, n=preview.error_count)
    try:
        counts = apply(preview)
    finally:
        upload_discard(data=data, folder=folder)
    progress(len(preview.rows), len(preview.rows))
    return counts


@background_job
def registry_import_job(job, progress) -> JobOutput:
    """Save a previewed registry file in one transaction, after checking it again; all rows or none."""
    counts = _confirmed_import(
        job, progress, folder=REGISTRY_UPLOADS, salt=REGISTRY_SALT,
        parse=lambda content, data: registry_parse(content=content, filename=data["f"]),
        apply=lambda preview: registry_import(preview=preview, by=job.started_by),
        changed=gettext_noop("名录在预览后有了变化，现在有 %(n)d 行存在错误，未导入任何数据。请重新上传文件查看。"))
    return JobOutput(message=gettext_noop("导入完成：新增 %(created)d 个，更新 %(updated)d 个生产主体。"), params=counts)


@background_job
def roster_import_job(job, progress) -> JobOutput:
    """Save a previewed roster file in one transaction, after checking it again against the people and
    roles on file; all rows or none."""
    from .services.signboards import hotline_number

    counts = _confirmed_import(
        job, progress, folder=ROSTER_UPLOADS, salt=ROSTER_SALT,
        parse=lambda content, data: roster_parse(content=content, filename=data["f"], hotline=hotline_number(),
                                                 start_date=datetime.date.fromisoformat(data["d"])),
        apply=lambda preview: roster_import(preview=preview, by=job.started_by),
        changed=gettext_noop("人员名单在预览后有了变化，现在有 %(n)d 行存在错误，未导入任何数据。请重新上传文件查看。"))
    return JobOutput(message=gettext_noop("人员名单已导入：更换 %(replaced)d 人，新增 %(added)d 人，离任 %(ended)d 人，"
                                          "更新信息 %(updated)d 人，备注 %(notes)d 条。"), params=counts)
