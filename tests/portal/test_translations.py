"""English is complete: the catalogue has no gaps, and public pages rendered in English show no Chinese
except data (names of places, people, producers and substances, CMS content)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|\{(\w*)\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _catalogue():
    return [e for e in polib.pofile(str(PO_PATH)) if not e.obsolete]


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def _translations(entry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


# --- the catalogue ------------------------------------------------------------------------------------

def test_every_message_is_translated_and_checked():
    entries = _catalogue()
    assert len(entries) > 1000  # the whole project, not an empty or truncated file
    empty = [e.msgid for e in entries if not all(t.strip() for t in _translations(e))]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not empty, f"{len(empty)} messages without English, e.g. {empty[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy (unchecked) messages, e.g. {fuzzy[:5]}"


TEMPLATE_MESSAGE = re.compile(r"""\{%\s*(?:translate|trans)\s+"([^"]+)"(?:\s+[^%]*)?%\}""")
PYTHON_MESSAGE = re.compile(r"""\b(?:_|gettext|gettext_lazy|pgettext_lazy\([^,]+,)\s*\(\s*"([^"\\]+)"\s*\)""")
SOURCE_DIRS = ("portal", "disclosure", "complaints", "staff", "templates")


def test_every_message_in_the_source_is_in_the_catalogue():
    """A string wrapped for translation after the last `make messages` would show in Chinese on the English
    site; this reads the templates and Python modules and finds each one-line message in the catalogue."""
    known = {e.msgid for e in _catalogue()}
    missing = set()
    root = Path(settings.BASE_DIR)
    for folder in SOURCE_DIRS:
        for path in (root / folder).rglob("*"):
            if "migrations" in path.parts or path.suffix not in {".py", ".html", ".txt", ".xml"}:
                continue
            text = path.read_text(encoding="utf-8")
            pattern = PYTHON_MESSAGE if path.suffix == ".py" else TEMPLATE_MESSAGE
            missing |= {f"{path.relative_to(root)}: {m}" for m in pattern.findall(text)
                        if HAN_RUN.search(m) and m not in known}
    assert not missing, "run `make messages` and translate:\n" + "\n".join(sorted(missing))


def test_plural_messages_have_both_english_forms():
    for entry in _catalogue():
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid


def test_placeholders_match_their_message_id():
    wrong = []
    for entry in _catalogue():
        expected = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural or "")
        for text in _translations(entry):
            if _placeholders(text) != expected:
                wrong.append((entry.msgid, text))
    assert not wrong, "\n".join(f"{m!r} → {t!r}" for m, t in wrong[:10])


def test_html_tags_in_messages_are_kept():
    wrong = []
    for entry in _catalogue():
        for text in _translations(entry):
            if sorted(TAG.findall(text)) != sorted(TAG.findall(entry.msgid)):
                wrong.append((entry.msgid, text))
    assert not wrong, "\n".join(f"{m!r} → {t!r}" for m, t in wrong[:10])


def test_compiled_catalogue_matches_the_po_file():
    """django.mo is committed (a server without gettext still serves English); it must not lag behind."""
    compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(MO_PATH))}
    stale = []
    for entry in _catalogue():
        mo = compiled.get((entry.msgctxt, entry.msgid))
        if mo is None or _translations(mo) != _translations(entry):
            stale.append(entry.msgid)
    assert not stale, f"{len(stale)} messages differ in django.mo — run `make messages`; e.g. {stale[:5]}"


# --- pages in English --------------------------------------------------------------------------------

class _Visible(HTMLParser):
    """Text a reader sees in <main> (and the page title), with alt/placeholder/aria-label/title attributes."""

    ATTRS = ("alt", "placeholder", "aria-label", "title")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.depth_main = 0
        self.skip = 0
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth_main += 1
        if tag in ("script", "style", "template"):
            self.skip += 1
        if tag == "title":
            self.in_title = True
        if self.depth_main:
            self.parts.extend(value for name, value in attrs if name in self.ATTRS and value)

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth_main -= 1
        if tag in ("script", "style", "template"):
            self.skip -= 1
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if (self.depth_main or self.in_title) and not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def _data_strings() -> list[str]:
    """Everything Chinese that is data rather than interface: what the test created or the site seeded."""
    from wagtail.models import Page, Site

    from disclosure.models import CreditRating, Grid, Person, Producer, Substance
    from portal.models import PortalSettings

    strings: list[str] = []
    for grid in Grid.objects.all():
        strings += [grid.name, grid.full_name]
    for person in Person.objects.all():
        # Cards without a photo show the first character of the name in its place.
        strings += [person.name, person.name[:1], person.position, person.organisation]
    for producer in Producer.objects.all():
        strings += [producer.name, producer.products, producer.address, producer.legal_representative,
                    producer.commitment_text, producer.inspector_name, producer.inspector_name[:1]]
    strings += [rating.basis for rating in CreditRating.objects.all()]  # the grade's basis, as staff wrote it
    for substance in Substance.objects.all():
        strings += [substance.name_zh, substance.restricted_scope, substance.legal_basis, substance.source]
    for page in Page.objects.all().specific():
        strings += [page.title, page.seo_title, page.search_description, getattr(page, "intro", "")]
    strings += [site.site_name for site in Site.objects.all()]
    for portal_settings in PortalSettings.objects.all():
        strings += [str(getattr(portal_settings, f.attname)) for f in PortalSettings._meta.concrete_fields]
    return [s for s in strings if s]


def _runs(texts) -> set[str]:
    return {run for text in texts for run in HAN_RUN.findall(text or "")}


@pytest.fixture
def english_site(client, home, grids, village, township):
    """The English site with a producer page and the substance list to look at."""
    import datetime

    from django.utils import timezone

    from disclosure.models import Role
    from disclosure.services.grids import role_assign
    from disclosure.services.producers import rating_set
    from disclosure.services.substances import substances_load
    from tests.factories import PersonFactory, ProducerFactory

    start = timezone.localdate() - datetime.timedelta(days=100)
    role_assign(person=PersonFactory(name="协管员甲示例", position="村委委员"), grid=village,
                role=Role.COORDINATOR, start_date=start)
    role_assign(person=PersonFactory(name="监管员乙示例", position="网格监管员"), grid=township,
                role=Role.SUPERVISOR, start_date=start)
    producer = ProducerFactory(name="长丰绿源蔬菜示例专业合作社", village=village, products="设施蔬菜、鲜食葡萄",
                               address="三工镇长丰村3组", issues_certificates=True, self_commitment=True,
                               commitment_signed_on=start, inspector_name="内检员丙示例",
                               inspector_phone="0994-0000099")
    rating_set(producer=producer, grade="B", effective_date=start, basis="抽检发现问题，已整改。")
    producer.refresh_from_db()
    substances_load()
    client.cookies["lang"] = "en"
    return {"client": client, "producer": producer, "village": village}


def english_pages(site) -> dict[str, str]:
    village = site["village"]
    return {
        "/": "Grid chart",
        "/news/": "Updates",
        "/grid/": "Grid management map",
        f"/grid/{village.parent.slug}/{village.slug}/": "Village coordinator",
        "/personnel/": "First responsible person for supervision",
        "/producers/": "Producer registry",
        f"/p/{site['producer'].code}/": "B – Key monitoring list",
        "/substances/": "National list of banned and restricted pesticides (veterinary drugs)",
        "/complaints/new/": "Report a quality-safety problem with agricultural products",
        "/complaints/track/": "Track a complaint or report",
    }


@pytest.mark.django_db
def test_public_pages_in_english_show_no_chinese_but_data(english_site):
    client = english_site["client"]
    data_runs = _runs(_data_strings())
    # Chinese written into the English messages on purpose: search examples such as 农药 (pesticide).
    intended = _runs(t for e in _catalogue() for t in _translations(e))
    for path, label in english_pages(english_site).items():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert '<html lang="en"' in html, path
        text = visible_text(html)
        assert label in text, (path, label)
        leftovers = sorted(_runs([text]) - data_runs - intended)
        assert not leftovers, f"{path}: Chinese interface text in English: {leftovers[:10]}"
        # Nor Chinese punctuation beside English words ("Office hours：", "（grid supervisor）").
        marks = re.findall(r".{0,12}(?:[A-Za-z][：（），；。]|[（][A-Za-z]|[A-Za-z0-9][、；（]|[、；）][A-Za-z0-9]).{0,12}", text)
        assert not marks, f"{path}: Chinese punctuation in English: {marks[:5]}"


@pytest.mark.django_db
def test_key_labels_switch_language(english_site):
    """The same pages in both languages: English labels in English, Chinese ones in Chinese."""
    client = english_site["client"]
    checks = {
        "/": [("Grid chart", "网格图"), ("Track a case", "进度查询")],
        "/grid/": [("Grid management map", "网格化管理图"), ("City grid", "市级网格")],
        "/producers/": [("Producer registry", "生产主体名录"), ("All townships", "全部乡镇")],
        f"/p/{english_site['producer'].code}/": [("Credit", "信用情况"), ("Internal inspector", "单位内检员")],
        "/substances/": [("Banned pesticides", "禁用农药")],
        "/complaints/new/": [("Problem category", "问题类别"), ("Submit", "提交")],
        "/complaints/track/": [("Tracking code", "查询码")],
    }
    for path, pairs in checks.items():
        english = client.get(path).content.decode()
        chinese = client.get(path, headers={"Cookie": "lang=zh-hans"}).content.decode()
        for en, zh in pairs:
            assert en in english and zh not in visible_text(english), (path, en, zh)
            assert zh in chinese, (path, zh)
