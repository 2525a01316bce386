"""The producer screens of the back office: scoping to the user's grids, grades, signs, printing."""

import pytest
from django.contrib.auth.models import Group, Permission

from disclosure.models import Producer, Role, Signboard
from disclosure.services.grids import role_assign
from tests.disclosure.test_producers_fixtures import producer_fixture, staffed_fixture  # noqa: F401
from tests.factories import PersonFactory, ProducerFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST = "/admin/snippets/disclosure/producer/"


def township_user(township, perms=("view_producer", "change_producer", "add_producer", "set_grade",
                                   "print_signboards", "import_registry")):
    group, _ = Group.objects.get_or_create(name="township_supervisor_test")
    group.permissions.add(*Permission.objects.filter(codename__in=["access_admin", *perms]))
    user = UserFactory()
    user.groups.add(group)
    person = PersonFactory(name="本镇监管员", user=user)
    role_assign(person=person, grid=township, role=Role.SUPERVISOR)
    return user


@pytest.fixture
def two_townships(grids, township, village):
    other_village = grids.filter(level="village").exclude(parent=township).first()
    mine = ProducerFactory(name="本镇示例合作社", village=village)
    theirs = ProducerFactory(name="外镇示例合作社", village=other_village)
    return mine, theirs


def test_township_supervisor_sees_and_edits_only_their_townships_producers(client, township, two_townships):
    mine, theirs = two_townships
    client.force_login(township_user(township))
    html = client.get(LIST).content.decode()
    assert mine.name in html and theirs.name not in html
    assert client.get(f"{LIST}edit/{mine.pk}/").status_code == 200
    for url in (f"{LIST}edit/{theirs.pk}/", f"{LIST}inspect/{theirs.pk}/", f"{LIST}delete/{theirs.pk}/",
                f"{LIST}history/{theirs.pk}/", f"/admin/producers/{theirs.pk}/grade/",
                f"/admin/producers/{theirs.pk}/signs/"):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/admin/producers/{theirs.pk}/grade/", {"grade": "C", "effective_date": "2024-01-01",
                                                                     "basis": "越权"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.grade == "unrated"


def test_edit_form_offers_only_villages_in_scope(client, township, two_townships):
    mine, _theirs = two_townships
    client.force_login(township_user(township))
    html = client.get(f"{LIST}edit/{mine.pk}/").content.decode()
    assert "三工镇长丰村" in html
    other_township_villages = [v.full_name for v in township.__class__.objects.villages().exclude(parent=township)[:3]]
    assert not any(name in html for name in other_township_villages)


def test_editing_keeps_revisions(client, township, two_townships):
    mine, _ = two_townships
    client.force_login(UserFactory(is_superuser=True))
    data = {"name": "本镇示例合作社（更名）", "kind": "cooperative", "village": mine.village_id,
            "facts_confirmed_on": "2025-01-01", "published": "on", "commitment_text": mine.commitment_text,
            "products": "蔬菜", "gallery-TOTAL_FORMS": "0", "gallery-INITIAL_FORMS": "0",
            "gallery-MIN_NUM_FORMS": "0", "gallery-MAX_NUM_FORMS": "12"}
    response = client.post(f"{LIST}edit/{mine.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    mine.refresh_from_db()
    assert mine.name == "本镇示例合作社（更名）"
    assert mine.revisions.count() == 1


def test_a_commitment_longer_than_the_sign_holds_is_refused_in_words(client, township, two_townships):
    mine, _ = two_townships
    client.force_login(UserFactory(is_superuser=True))
    data = {"name": mine.name, "kind": "cooperative", "village": mine.village_id,
            "facts_confirmed_on": "2025-01-01", "published": "on", "commitment_text": "承" * 301,
            "products": "蔬菜", "gallery-TOTAL_FORMS": "0", "gallery-INITIAL_FORMS": "0",
            "gallery-MIN_NUM_FORMS": "0", "gallery-MAX_NUM_FORMS": "12"}
    response = client.post(f"{LIST}edit/{mine.pk}/", data)
    assert response.status_code == 200
    assert "300" in str(response.context["form"].errors["commitment_text"])
    mine.refresh_from_db()
    assert len(mine.commitment_text) < 300


def test_user_without_grade_permission_cannot_set_grades(client, township, two_townships):
    mine, _ = two_townships
    client.force_login(township_user(township, perms=("view_producer", "change_producer")))
    # Wagtail answers a refused admin page with a redirect to the dashboard and a message.
    for url in (f"/admin/producers/{mine.pk}/grade/", "/admin/producers/import/", "/admin/producers/print/"):
        response = client.get(url)
        assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/", url


def test_staff_issue_a_sign_and_see_the_history(client, producer, township):
    client.force_login(township_user(township))
    response = client.post(f"/admin/producers/{producer.pk}/signs/", {"paper": "A4"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    sign = Signboard.objects.get(producer=producer)
    assert sign.paper == "A4" and sign.created_by is not None and sign.grade_shown == "A"
    html = client.get(f"/admin/producers/{producer.pk}/signs/").content.decode()
    assert f"No.{sign.serial_display}" in html


def test_unpublished_producer_gets_no_sign(client, producer, township):
    Producer.objects.filter(pk=producer.pk).update(published=False)
    client.force_login(township_user(township))
    client.post(f"/admin/producers/{producer.pk}/signs/", {"paper": "A3"})
    assert not Signboard.objects.exists()


def test_township_print_from_the_admin_is_one_pdf(client, producer, township, grids):
    user = township_user(township)
    client.force_login(user)
    form_html = client.get("/admin/producers/print/").content.decode()
    assert township.name in form_html
    other = grids.filter(level="township").exclude(pk=township.pk).first()
    assert other.name not in form_html  # only the user's own township is offered
    response = client.post("/admin/producers/print/", {"grid": township.pk, "paper": "A3"})
    download = client.get(response["Location"] + "download/")
    assert download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content).startswith(b"%PDF")
    assert Signboard.objects.filter(producer=producer).exists()
    assert client.post("/admin/producers/print/", {"grid": other.pk, "paper": "A3"}).status_code == 200
    assert Signboard.objects.count() == 1  # refused: not the user's township


def test_menu_lists_key_supervision_and_stale(client, township, two_townships):
    client.force_login(UserFactory(is_superuser=True))
    import json

    html = client.get("/admin/").content.decode()
    props = json.loads(html.split('id="wagtail-sidebar-props" type="application/json">')[1].split("</script>")[0])
    text = json.dumps(props, ensure_ascii=False)
    assert "重点监管名录" in text and "信息待更新" in text and "?list=key" in text and "?list=stale" in text


def test_township_staff_publish_a_producers_statement_beside_its_grade(client, township, two_townships):
    """Right to reply: the producer's short statement about its grade, entered by township staff, shown on
    the public page with its date; too long or with markup is refused in words; withdrawing hides it."""
    from django.utils import timezone

    mine, theirs = two_townships
    client.force_login(township_user(township))
    url = f"/admin/producers/{mine.pk}/grade/"
    today = timezone.localdate().isoformat()
    response = client.post(url, {"statement-text": "好" * 301, "statement-stated_on": today})
    assert response.status_code == 400 and "最多300个字，您填写了301个字" in response.content.decode()
    response = client.post(url, {"statement-text": "<a href=x>点此</a>", "statement-stated_on": today})
    assert "不能包含网页代码" in response.content.decode()
    assert not mine.statements.exists()

    text = "抽检不合格的批次已全部召回销毁，已更换农药供应商并接受复查。"
    assert client.post(url, {"statement-text": text, "statement-stated_on": today}).status_code == 302
    page = client.get(mine.get_absolute_url()).content.decode()
    assert f"生产主体的说明（{today}）" in page and text in page and f"生产主体对此有说明（{today}）" in page
    # Another township's producer is out of reach.
    assert client.post(f"/admin/producers/{theirs.pk}/grade/", {"statement-text": text,
                                                                 "statement-stated_on": today}).status_code == 404
    assert not theirs.statements.exists()

    client.post(url, {"statement-withdraw": "1"})
    page = client.get(mine.get_absolute_url()).content.decode()
    assert text not in page and mine.statements.count() == 1
