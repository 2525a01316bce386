"""Background jobs of the disclosure app (portal/jobs.py runs them in the task worker): a township's
signboards as one PDF."""

from django.utils import timezone
from django.utils.translation import gettext_noop

from portal.jobs import JobFailed, JobOutput, background_job

from .models import Grid
from .services.signboards import PAPERS, signboards_for_township, signboards_pdf

SIGNBOARDS_KIND = "disclosure.township_signboards"


@background_job
def township_signboards_job(job, progress) -> JobOutput:
    """Register (or reuse) the signs of every published producer of the township in job.params, and draw
    them into one PDF, a page per sign; progress counts the signs drawn."""
    params = job.params
    township = Grid.objects.townships().filter(pk=params.get("township")).first()
    paper = params.get("paper", "A3")
    if township is None:
        raise JobFailed(gettext_noop("该乡镇已不存在，未能打印公示牌。"))
    if paper not in PAPERS:
        raise JobFailed(gettext_noop("纸张规格“%(paper)s”无效。"), paper=str(paper)[:10])
    signs = signboards_for_township(township=township, paper=paper, by=job.started_by,
                                    force=bool(params.get("renumber")),
                                    progress=lambda number, total, producer: progress(0, total))
    if not signs:
        raise JobFailed(gettext_noop("%(name)s没有公开的生产主体。"), name=township.name)
    pdf = signboards_pdf(signs=signs, paper=paper, progress=lambda number, total, sign: progress(number, total))
    return JobOutput(filename=f"signboards-{township.slug}-{timezone.localdate():%Y%m%d}-{paper}.pdf", content=pdf,
                     message=gettext_noop("共 %(count)d 块公示牌，每牌一页。"), params={"count": len(signs)})
