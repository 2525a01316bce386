"""Demo news editing: the news permissions and workflow (staff/news.py), and a township's news draft
submitted to 新闻审核, waiting for the city (city_quality approves it; city_admin can too)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from portal.models import NewsPage

from .news import news_index_page, news_roles_setup

DRAFT_SLUG = "sangong-safety-training-draft"
DRAFTER = "township_sangong"


@transaction.atomic
def load_news(out=None) -> int:
    """Set up news editing and, once, a township's draft in moderation. Returns the drafts created."""
    workflow = news_roles_setup()
    drafter = get_user_model().objects.filter(username=DRAFTER).first()
    news_index = news_index_page()
    if workflow is None or drafter is None or NewsPage.objects.filter(slug=DRAFT_SLUG).exists():
        return 0
    page = NewsPage(
        title="三工镇开展农产品质量安全网格员培训", slug=DRAFT_SLUG, kind="dynamics", owner=drafter,
        intro="三工镇组织各村协管员学习日常巡查和承诺达标合格证的要求。",
        body=[("paragraph", "<p>三工镇农业（畜牧业）发展服务中心组织各村网格协管员，集中学习日常巡查要点、"
                            "生产记录检查和承诺达标合格证的开具要求。</p>"),
              ("paragraph", "<p>（本文为演示数据，由乡镇起草，等待市级审核。）</p>")],
        live=False,
    )
    news_index.add_child(instance=page)
    page.save_revision(user=drafter)
    workflow.start(page, drafter)
    if out is not None:
        out.write(f"news draft in moderation: {page.title}\n")
    return 1
