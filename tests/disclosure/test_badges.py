"""Staff badges (工作证, the plan 四、(五)): the printed card (name, role, grid, phone, a QR code to /b/<CODE>/),
the public page that says whether the wearer holds the role today, and the back office that prints, reprints,
reissues and revokes them, scoped to the staff's own grids."""

import datetime
import io
import math
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from disclosure.models import Badge, Grid, Role, RoleAssignment
from disclosure.services.badge_render import badges_pdf
from disclosure.services.badges import badge_issue, badge_revoke, badges_for_township
from disclosure.services.grids import role_assign, role_end
from portal.qr import qr_url
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
RELATED = ("assignment__person__photo", "assignment__grid__parent")


@pytest.fixture
def staff_groups(db):
    from staff.roles import staff_roles_setup

    return staff_roles_setup()


def _photo(title="工作证照片"):
    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (120, 150, 180)).save(out, format="JPEG")
    return get_image_model().objects.create(title=title, file=ImageFile(out, name="face.jpg"))


@pytest.fixture
def coordinator(village):
    person = PersonFactory(name="赵示例", phone="0994-0123456", photo=_photo())
    return role_assign(person=person, grid=village, role=Role.COORDINATOR,
                       start_date=TODAY - datetime.timedelta(days=100))


def pdf_text(pdf: bytes) -> str:
    """The PDF's text without white space (the card spaces its letters out: 工 作 证)."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return "".join(text.split())


def decode_qr(pdf: bytes, tmp_path, dpi: int = 150) -> list[str]:
    from PIL import Image
    from pyzbar.pyzbar import ZBarSymbol, decode

    (tmp_path / "b.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "b.pdf"),
                    str(tmp_path / "b")], check=True)
    return [s.data.decode() for s in decode(Image.open(tmp_path / "b.png"), symbols=[ZBarSymbol.QRCODE])]


def _loaded(badge: Badge) -> Badge:
    return Badge.objects.select_related(*RELATED).get(pk=badge.pk)


# --- the printed badge ------------------------------------------------------------------------------

def test_the_badge_prints_name_role_grid_phone_and_a_qr_code_to_its_page(coordinator, tmp_path):
    badge, created = badge_issue(assignment=coordinator, by=None)
    assert created and len(badge.code) == 8 and badge.code == badge.code.upper()
    pdf = badges_pdf(badges=[_loaded(badge)])
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert len(reader.pages) == 1 and (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    text = pdf_text(pdf)
    for words in ("赵示例", "村级协管员", "三工镇长丰村", "0994-0123456", "工作证", badge.code,
                  timezone.localdate().isoformat(), "扫码核验身份"):
        assert words.replace(" ", "") in text, words
    # The phone's camera reads the code from the printed page; it opens the badge's page.
    found = decode_qr(pdf, tmp_path)
    assert found == [qr_url(f"/b/{badge.code}/")]
    assert found[0].lower() == f"https://nc.example.cn/b/{badge.code.lower()}/"


def test_the_qr_code_reads_from_a_phone_photo_of_the_printed_card(coordinator):
    """A phone photo of one card (slanted, turned, blurred: tests/photo.py) still decodes."""
    from pyzbar.pyzbar import ZBarSymbol, decode

    from tests.disclosure.test_signboards import pdf_pages_as_images
    from tests.photo import phone_photo

    badge, _created = badge_issue(assignment=coordinator, by=None)
    [page] = pdf_pages_as_images(badges_pdf(badges=[_loaded(badge)]), dpi=200)
    mm = 200 / 25.4
    card = page.crop((round(10 * mm), round(13.5 * mm), round(100 * mm), round(143.5 * mm)))  # the first card
    photo = phone_photo(card, height=600)
    assert [s.data.decode() for s in decode(photo, symbols=[ZBarSymbol.QRCODE])] == [qr_url(f"/b/{badge.code}/")]


def test_an_unpublished_phone_prints_the_hotline(coordinator):
    person = coordinator.person
    person.phone_public = False
    person.save()
    badge, _created = badge_issue(assignment=coordinator, by=None)
    text = pdf_text(badges_pdf(badges=[_loaded(badge)]))
    assert "0994-0123456" not in text and "0994-12316" in text and "投诉举报电话" in text


# --- the public page -----------------------------------------------------------------------------------

def test_the_page_confirms_a_current_holder(client, coordinator):
    badge, _created = badge_issue(assignment=coordinator, by=None)
    response = client.get(f"/b/{badge.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "工作证有效" in html and "此工作证已失效" not in html
    assert "赵示例现任三工镇长丰村村级协管员" in html
    assert 'href="tel:0994-0123456"' in html
    assert f'href="{coordinator.grid.get_absolute_url()}"' in html
    assert timezone.localdate().isoformat() in html  # the issue date
    assert 'width="144" height="180"' in html and 'alt="赵示例的照片"' in html  # the photo, made when printed
    # What the grid pages publish anyway: a valid badge's page may be found by search engines.
    assert "noindex" not in html and "X-Robots-Tag" not in response
    assert "max-age=60" in response["Cache-Control"]


def test_codes_are_read_in_any_case(client, coordinator):
    badge, _created = badge_issue(assignment=coordinator, by=None)
    for path in (f"/b/{badge.code.lower()}/", f"/B/{badge.code}/", f"/b/ {badge.code.title()}/".replace(" ", "")):
        response = client.get(path)
        assert response.status_code == 200 and "工作证有效" in response.content.decode(), path
    assert Badge.objects.by_code(badge.code.lower()).get() == badge


def test_after_the_role_ends_the_page_says_so_and_names_the_current_holder(client, coordinator, village):
    badge, _created = badge_issue(assignment=coordinator, by=None)
    successor = PersonFactory(name="钱示例", phone="0994-0654321")
    role_assign(person=successor, grid=village, role=Role.COORDINATOR, start_date=TODAY, replace=True)
    response = client.get(f"/b/{badge.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "此工作证已失效" in html and "工作证有效" not in html
    assert f"已于 {TODAY.isoformat()} 离任三工镇长丰村村级协管员" in html
    assert "钱示例" in html and 'href="tel:0994-0654321"' in html  # who holds the role now
    assert "0994-0123456" not in html  # the former holder's phone is not offered
    assert 'href="/complaints/new/"' in html
    assert not Badge.objects.valid().filter(pk=badge.pk).exists()


def test_a_role_left_vacant_points_to_the_hotline(client, coordinator):
    badge, _created = badge_issue(assignment=coordinator, by=None)
    role_end(assignment=coordinator, end_date=TODAY)
    html = client.get(f"/b/{badge.code}/").content.decode()
    assert "此工作证已失效" in html and "这一岗位正在调整" in html and 'href="tel:0994-12316"' in html


def test_a_revoked_badge_says_when_and_why(client, coordinator, township_user):
    badge, _created = badge_issue(assignment=coordinator, by=None)
    badge_revoke(badge=badge, by=township_user, reason="工作证遗失")
    response = client.get(f"/b/{badge.code}/")
    html = response.content.decode()
    assert "此工作证已失效" in html and "工作证遗失" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html and response["X-Robots-Tag"] == "noindex"
    assert f"此工作证已于 {timezone.localdate().isoformat()} 作废" in html
    assert "赵示例" in html and 'href="tel:0994-0123456"' in html  # still the holder of the role: call them


@pytest.mark.parametrize("code", ["ZZZZ2222", "not-a-code", "O0I1O0I1"])
def test_an_unknown_code_is_a_404_that_says_not_to_trust_the_wearer(client, grids, code):
    response = client.get(f"/b/{code}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "没有这个工作证" in html and "请不要相信持此证的人" in html
    assert 'href="/complaints/new/"' in html and 'href="/grid/"' in html and 'href="tel:0994-12316"' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_a_public_look_up_never_writes(client, coordinator, village, township):
    """Reading a badge's page writes nothing, and costs a few queries whatever the data size."""
    valid, _created = badge_issue(assignment=coordinator, by=None)
    supervisor = role_assign(person=PersonFactory(photo=_photo()), grid=township, role=Role.SUPERVISOR,
                             start_date=TODAY - datetime.timedelta(days=50))
    ended, _created = badge_issue(assignment=supervisor, by=None)
    role_assign(person=PersonFactory(), grid=township, role=Role.SUPERVISOR, start_date=TODAY, replace=True)
    client.get("/b/ZZZZ2222/")  # the first visit of the site makes its settings row
    for path in (f"/b/{valid.code}/", f"/b/{valid.code.lower()}/", f"/b/{ended.code}/", "/b/ZZZZ2222/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code in (200, 404)
        writes = [q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
        assert not writes, path
        assert len(queries) <= 5, [q["sql"] for q in queries]
    assert Badge.objects.valid().get() == valid


# --- issuing, reissuing, revoking -------------------------------------------------------------------

def test_printing_again_reuses_the_valid_badge_and_a_new_code_revokes_the_old_one(coordinator, township_user):
    first, created = badge_issue(assignment=coordinator, by=township_user)
    again, created_again = badge_issue(assignment=coordinator, by=township_user)
    assert created and not created_again and again == first
    new, created_new = badge_issue(assignment=coordinator, by=township_user, new_code=True, reason="工作证遗失")
    first.refresh_from_db()
    assert created_new and new.code != first.code
    assert first.revoked_at is not None and first.revoke_reason == "工作证遗失" and first.revoked_by == township_user
    assert list(Badge.objects.valid().filter(assignment=coordinator)) == [new]


def test_no_badge_for_a_role_that_has_ended(coordinator):
    from django.core.exceptions import ValidationError

    role_end(assignment=coordinator, end_date=TODAY)
    with pytest.raises(ValidationError):
        badge_issue(assignment=coordinator, by=None)
    assert not Badge.objects.exists()


def test_a_revocation_needs_a_reason_and_happens_once(coordinator):
    from django.core.exceptions import ValidationError

    badge, _created = badge_issue(assignment=coordinator, by=None)
    with pytest.raises(ValidationError):
        badge_revoke(badge=badge, by=None, reason="  ")
    badge_revoke(badge=badge, by=None, reason="被他人冒用")
    with pytest.raises(ValidationError):
        badge_revoke(badge=badge, by=None, reason="再次作废")


# --- the back office ------------------------------------------------------------------------------

def test_printing_from_the_back_office_registers_then_reuses_then_reissues(client, coordinator, township_user,
                                                                           tmp_path):
    client.force_login(township_user)
    url = f"/admin/badges/{coordinator.pk}/"
    page = client.get(url).content.decode()
    assert "赵示例" in page and "尚未登记工作证" in page
    response = client.post(url, {})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    badge = Badge.objects.get()
    assert badge.issued_by == township_user and "赵示例" in pdf_text(response.content)
    assert badge.code in response["Content-Disposition"]
    client.post(url, {})
    assert Badge.objects.count() == 1  # a second copy of the same card
    client.post(url, {"new_code": "on", "reason": "工作证遗失"})
    assert Badge.objects.count() == 2 and Badge.objects.valid().count() == 1
    badge.refresh_from_db()
    assert badge.revoke_reason == "工作证遗失"
    page = client.get(url).content.decode()
    assert "工作证遗失" in page and Badge.objects.valid().get().code in page


def test_revoking_from_the_back_office(client, coordinator, township_user):
    badge, _created = badge_issue(assignment=coordinator, by=None)
    client.force_login(township_user)
    url = f"/admin/badges/revoke/{badge.pk}/"
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "被他人冒用"})
    assert response.status_code == 302 and response["Location"] == f"/admin/badges/{coordinator.pk}/"
    badge.refresh_from_db()
    assert badge.revoked_by == township_user and badge.revoke_reason == "被他人冒用"


def test_the_person_page_offers_a_badge_for_each_current_role(client, coordinator, township_user):
    client.force_login(township_user)
    html = client.get(f"/admin/snippets/disclosure/person/edit/{coordinator.person_id}/").content.decode()
    assert f"/admin/badges/{coordinator.pk}/" in html and "打印工作证（三工镇长丰村村级协管员）" in html


def test_a_townships_batch_holds_every_current_supervisor_and_coordinator(client, staffed_grids, township,
                                                                          township_user, other_township):
    client.force_login(township_user)
    assert client.get("/admin/badges/township/").status_code == 200
    response = client.post("/admin/badges/township/", {"township": township.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    expected = RoleAssignment.objects.current().filter(
        grid__in=Grid.objects.filter(pk=township.pk) | township.children.all(),
        role__in=(Role.SUPERVISOR, Role.COORDINATOR))
    text = pdf_text(response.content)
    for assignment in expected.select_related("person", "grid__parent"):
        assert assignment.person.name in text and assignment.grid.full_name in text
    assert Badge.objects.count() == expected.count()
    assert len(PdfReader(io.BytesIO(response.content)).pages) == math.ceil(expected.count() / 4)
    elsewhere = RoleAssignment.objects.current().filter(grid=other_township, role=Role.SUPERVISOR).first()
    assert elsewhere.person.name not in text
    tester = RoleAssignment.objects.current().get(grid=township, role=Role.TESTER)
    assert tester.person.name not in text  # the plan's badge is for supervisors and coordinators
    # Printing the batch again reprints the same badges.
    client.post("/admin/badges/township/", {"township": township.pk})
    assert Badge.objects.count() == expected.count()


def test_staff_act_only_on_their_own_townships_badges(client, coordinator, township, other_township_user,
                                                      village_user):
    badge, _created = badge_issue(assignment=coordinator, by=None)
    client.force_login(other_township_user)
    for url in (f"/admin/badges/{coordinator.pk}/", f"/admin/badges/revoke/{badge.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/admin/badges/{coordinator.pk}/", {"new_code": "on"}).status_code == 404
    assert client.post(f"/admin/badges/revoke/{badge.pk}/", {"reason": "越权"}).status_code == 404
    form = client.get("/admin/badges/township/").content.decode()
    assert township.name not in form
    assert client.post("/admin/badges/township/", {"township": township.pk}).status_code == 400
    badge.refresh_from_db()
    assert badge.revoked_at is None and Badge.objects.count() == 1
    # A coordinator wears a badge but does not print them (Wagtail sends them back to the dashboard).
    client.force_login(village_user)
    for url in (f"/admin/badges/{coordinator.pk}/", "/admin/badges/township/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/", url
    assert client.post(f"/admin/badges/{coordinator.pk}/", {}).status_code == 302
    assert Badge.objects.count() == 1


# --- demo data ---------------------------------------------------------------------------------------

def test_the_demo_has_a_valid_a_revoked_and_an_ended_badge(staffed_grids, township):
    from staff.demo_badges import demo_badge_codes, load_badges

    village = township.children.order_by("code").first()
    role_assign(person=PersonFactory(), grid=village, role=Role.COORDINATOR, start_date=TODAY, replace=True)
    assert load_badges() > 0
    assert load_badges() == 0  # once
    codes = demo_badge_codes()
    assert set(codes) == {"valid", "revoked", "ended"}
    assert set(badges_for_township(township=township, by=None)) <= set(Badge.objects.valid())
