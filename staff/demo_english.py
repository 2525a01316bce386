"""English versions of demo pages: most news items are translated, the plan and a few news items are not
(they show in Chinese with a note, as a page nobody has translated yet does)."""

from django.db import transaction
from wagtail.models import Locale

from portal.models import NewsPage
from portal.services import english_locale_ensure, page_translate

# Chinese title → (English title, summary, paragraph).
NEWS_EN = {
    "市农业农村局部署农产品质量安全网格化巡查": (
        "City Agriculture Bureau sets out grid inspections of farm produce safety",
        "Township grid supervisors will inspect every producer in their grids, checking above all the records "
        "of pesticide purchase and use; highly toxic pesticides are strictly forbidden.",
        "The inspections stress that highly toxic pesticides must not be used, pre-harvest intervals must be "
        "kept, and commitment certificates of compliance must be issued properly."),
    "三工镇开展农资经营店专项检查": (
        "Sangong Town checks its farm-supply shops",
        "Sangong Town's grid supervisors and village coordinators checked every farm-supply shop in the town.",
        "They checked purchase ledgers and sales records, and whether any shop sells pesticides or veterinary "
        "drugs that the state bans or restricts."),
    "网格协管员培训班在大西渠镇举办": (
        "Training for grid coordinators held in Daxiqu Town",
        "Coordinators from every village learned how to spot risks, take samples for testing and report.",
        "The course combined classroom teaching with practice in the field."),
    "全市三级网格体系基本构建完成": (
        "The city's three-level grid system is in place",
        "Every city, township and village grid now has named supervisors and coordinators, and the grid "
        "charts are on the walls.",
        "One city grid, 10 township grids and 57 village grids all have their people and duties."),
    "生产主体名录年度更新工作启动": (
        "Annual update of the producer registry begins",
        "Each township is checking and updating the registry of producers in its area.",
        "The registry is updated at least once a year so that its facts stay true, and it is kept in the "
        "traceability platform."),
}


@transaction.atomic
def load_english_pages() -> int:
    """Translate the demo news the table names (once); returns how many English versions were made."""
    english = english_locale_ensure()
    made = 0
    source = Locale.objects.get(language_code="zh-hans")
    for page in NewsPage.objects.filter(locale=source, title__in=NEWS_EN):
        if page.get_translation_or_none(english) is not None and not page.get_translation(english).alias_of_id:
            continue
        title, intro, text = NEWS_EN[page.title]
        page_translate(page, english, title=title, intro=intro,
                       body=[("paragraph", f"<p>{text}</p>"), ("paragraph", "<p>(Demonstration content.)</p>")])
        made += 1
    return made
