"""A township's monthly report walked in the browser from draft to accepted: the township supervisor drafts
and submits on a phone, the city returns it with a comment on a desktop, the township sees the comment and
submits again, the city accepts; each sees the status and the buttons that fit."""

import datetime

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only"  # tests.factories.UserFactory's
LAST = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _log_in(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(base + "/admin/")


def _press(page, name):
    """Press a button that posts the page's form and wait for the answer (often the same address)."""
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def _status(page) -> str:
    return page.locator("#gw-report-status").inner_text()


def test_a_monthly_report_from_draft_to_accepted(live_server, home, phone_page, desktop_page, township_user,
                                                 city_user, rapid_tests):
    rapid_tests(LAST + datetime.timedelta(days=2), n=2)
    base, town, city = live_server.url, phone_page, desktop_page
    period = f"{LAST.year}年{LAST.month}月"

    # The township drafts last month's report: the figures come from the records.
    _log_in(town, base, township_user.username)
    town.goto(base + f"/admin/gridwork/reports/?year={LAST.year}")
    row = town.locator("table.gw-reports tbody tr", has_text=period)
    assert "未起草" in row.inner_text()
    row.get_by_role("button", name="起草月报").click()
    town.wait_for_url("**/admin/gridwork/reports/*/")
    report_url = town.url
    assert _status(town) == "草稿"
    assert town.locator('[data-figure="samples_tested"]').inner_text() == "2"
    assert town.get_by_role("button", name="采纳").count() == 0

    # Submitting without the township's own words is refused with a message; with them it goes up.
    _press(town, "报送市级网格")
    assert "请填写本月工作开展情况后再报送" in town.locator(".help-critical").first.inner_text()
    town.fill("textarea[name=work_done]", "本月速测样品2份，均为阴性。")
    _press(town, "报送市级网格")
    assert town.url == report_url
    assert _status(town) == "已报送" and "月报已报送市级网格" in town.locator("body").inner_text()
    assert town.locator("textarea[name=work_done]").count() == 0

    # The city sees it in the month's overview and returns it; a return needs a comment.
    _log_in(city, base, city_user.username)
    city.goto(base + f"/admin/gridwork/reports/?year={LAST.year}&month={LAST.month}")
    city_row = city.locator("table.gw-reports tbody tr", has_text="三工镇")
    assert "已报送" in city_row.inner_text()
    city_row.get_by_role("link", name="三工镇").click()
    city.wait_for_url(report_url)
    assert "本月速测样品2份，均为阴性。" in city.locator("body").inner_text()
    _press(city, "退回修改")
    assert "请填写退回意见" in city.locator(".help-critical").first.inner_text() and _status(city) == "已报送"
    city.fill("textarea[name=comment]", "请补充阳性样品的处置和下月检测计划。")
    _press(city, "退回修改")
    assert _status(city) == "已退回"
    assert city.get_by_role("button", name="采纳").count() == 0

    # The township is told on its list of months, sees the comment, completes the report and submits again.
    town.goto(base + f"/admin/gridwork/reports/?year={LAST.year}")
    notice = town.locator("#gw-returned")
    assert f"三工镇{period}的月报已被市级网格退回" in notice.inner_text()
    notice.get_by_role("link", name="查看退回意见").click()
    town.wait_for_url(report_url)
    assert _status(town) == "已退回"
    assert "请补充阳性样品的处置和下月检测计划。" in town.locator("#gw-return-comment").inner_text()
    town.fill("textarea[name=next_steps]", "下月抽检设施蔬菜不少于10份。")
    _press(town, "报送市级网格")
    assert _status(town) == "已报送"

    # The city accepts; both now see an accepted report that nobody can change.
    city.goto(report_url)
    assert "下月抽检设施蔬菜不少于10份。" in city.locator("body").inner_text()
    _press(city, "采纳")
    assert _status(city) == "已采纳"
    history = city.locator("table.gw-report-history tbody").inner_text()
    assert [line.split("\t")[1] for line in history.strip().splitlines()] == ["起草", "报送", "退回", "报送", "采纳"]
    town.goto(report_url)
    assert _status(town) == "已采纳"
    assert town.get_by_role("button", name="报送市级网格").count() == 0
    assert town.evaluate("document.documentElement.scrollWidth") <= 376
