"""The public side: the form (prefill, routing), the receipt, tracking, rating, reopening, rate limits."""

import datetime
import re

import pytest
from django.core.cache import CacheHandler
from django.utils import timezone

from complaints import ratelimit
from complaints.models import Action, Channel, Complaint, State
from complaints.services import (
    complaint_accept,
    complaint_approve_reply,
    complaint_assign,
    complaint_close,
    complaint_draft_reply,
    complaint_start_investigation,
)
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db


def close(c, township_user, village_user):
    for service, user, kwargs in [
        (complaint_accept, township_user, {}), (complaint_assign, township_user, {"assignee": village_user}),
        (complaint_start_investigation, village_user, {}),
        (complaint_draft_reply, village_user, {"reply": "经核查属实，已依法处理。"}),
        (complaint_approve_reply, township_user, {}), (complaint_close, township_user, {}),
    ]:
        service(complaint=c, user=user, expected_version=c.version, **kwargs)
    return c


def track(client, code):
    client.post("/complaints/track/", {"code": code})
    return client.get("/complaints/track/")


def test_form_page_works_without_javascript_and_sets_no_public_cache(client, grids):
    response = client.get("/complaints/new/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in content and "csrfmiddlewaretoken" in content
    assert 'name="website"' in content and 'name="form_token"' in content
    assert "no-store" in response["Cache-Control"]
    assert "我确认所反映的情况" in content  # the consent text
    # Someone who cannot type it all can call instead: the hotline beside the form, tap to call.
    assert content.count('href="tel:0994-12316"') >= 2  # the form's note and the footer


def test_prefill_from_a_signboard_link(client, village):
    producer = ProducerFactory(village=village)
    response = client.get(f"/complaints/new/?producer={producer.code.lower()}")
    content = response.content.decode()
    assert producer.name in content
    assert f'value="{producer.name}（{producer.code}）"' in content
    form = response.context["form"]
    assert form.initial["place_village"] == str(village.pk)


def test_unknown_producer_in_the_link_is_explained(client, grids):
    response = client.get("/complaints/new/?producer=ZZZZZZ")
    assert "链接中的公示编码“ZZZZZZ”没有对应的生产主体" in response.content.decode()


def test_submit_routes_to_the_producers_village(client, form_data, village, township, grids):
    other_village = grids.filter(level="village").exclude(parent=township).first()
    producer = ProducerFactory(village=other_village)
    response = client.post("/complaints/new/", form_data(producer=f"{producer.name}（{producer.code}）"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.producer == producer and complaint.grid == other_village
    assert complaint.place_village == village  # where it happened is kept as typed
    assert complaint.channel == Channel.WEB and complaint.consent_at


def test_unmatched_producer_name_is_kept_as_text(client, form_data, village):
    client.post("/complaints/new/", form_data(producer="村口那家没挂牌的菜店"))
    complaint = Complaint.objects.get()
    assert complaint.producer is None and complaint.producer_text == "村口那家没挂牌的菜店"
    assert complaint.grid == village


def test_nothing_chosen_goes_to_the_city(client, form_data, grids):
    client.post("/complaints/new/", form_data(place_township="", place_village=""))
    assert Complaint.objects.get().grid.level == "city"


def test_receipt_then_tracking(client, form_data):
    response = client.post("/complaints/new/", form_data())
    receipt = client.get(response["Location"])
    content = receipt.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.display_code in content
    assert re.fullmatch(r"[34679ACDEFGHJKMNPQRTUVWXY]{4}(-[34679ACDEFGHJKMNPQRTUVWXY]{4}){2}", complaint.display_code)
    assert "no-store" in receipt["Cache-Control"]
    page = track(client, complaint.display_code.lower().replace("-", " "))
    content = page.content.decode()
    assert "已收到" in content and "待受理" in content
    assert complaint.accept_due.isoformat() in content


def test_receipt_without_a_submission(client, grids):
    response = client.get("/complaints/receipt/")
    assert response.status_code == 404 and "没有可显示的回执" in response.content.decode()


def test_rate_and_reopen_after_closing(client, submit, township_user, village_user):
    c = close(submit(), township_user, village_user)
    page = track(client, c.tracking_code).content.decode()
    assert "经核查属实，已依法处理。" in page and "评价办理结果" in page and "申请重新办理" in page
    client.post("/complaints/track/rate/", {"rating": "2", "comment": "太慢了"})
    c.refresh_from_db()
    assert c.rating == 2 and c.events.filter(action=Action.RATE).exists()
    assert "评价办理结果" not in client.get("/complaints/track/").content.decode()
    response = client.post("/complaints/track/reopen/", {"reason": ""})
    assert "请写明不满意的原因" in response.content.decode()
    client.post("/complaints/track/reopen/", {"reason": "问题又出现了"})
    c.refresh_from_db()
    assert c.state == State.REOPENED
    event = c.events.filter(action=Action.REOPEN).get()
    assert event.note_internal == "问题又出现了" and "问题又出现了" not in event.note_public


def test_reopen_only_within_15_days(client, submit, township_user, village_user):
    c = close(submit(), township_user, village_user)
    Complaint.objects.filter(pk=c.pk).update(closed_at=timezone.now() - datetime.timedelta(days=16))
    page = track(client, c.tracking_code).content.decode()
    assert "申请重新办理" not in page
    response = client.post("/complaints/track/reopen/", {"reason": "不满意"}, follow=True)
    assert "超过15天" in response.content.decode()
    assert Complaint.objects.get(pk=c.pk).state == State.CLOSED


def test_tracking_session_ends(client, submit):
    c = submit()
    track(client, c.tracking_code)
    client.post("/complaints/track/end/")
    assert c.display_code not in client.get("/complaints/track/").content.decode()


def test_producer_suggestions(client, village):
    producer = ProducerFactory(village=village, name="昌吉市绿源蔬菜示例专业合作社")
    data = client.get("/complaints/producers.json", {"q": "绿源"}).json()
    assert data["results"][0]["value"] == f"{producer.name}（{producer.code}）"
    assert client.get("/complaints/producers.json", {"q": "绿"}).json() == {"results": []}


# --- rate limits ------------------------------------------------------------------------------------------

def test_tracking_lookups_are_rate_limited(client, settings, grids):
    settings.COMPLAINTS_RATE_LIMITS = {"track": (2, 600)}
    for _ in range(2):
        assert client.post("/complaints/track/", {"code": "ACDE-FGHJ-KMNP"}).status_code == 200
    response = client.post("/complaints/track/", {"code": "ACDE-FGHJ-KMNP"})
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode() and int(response["Retry-After"]) > 0
    # Another address is not affected.
    assert client.post("/complaints/track/", {"code": "x"}, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_submissions_are_rate_limited(client, form_data, settings):
    settings.COMPLAINTS_RATE_LIMITS = {"submit": (2, 3600)}
    assert client.post("/complaints/new/", form_data()).status_code == 302
    assert client.post("/complaints/new/", form_data()).status_code == 302
    response = client.post("/complaints/new/", form_data())
    assert response.status_code == 429 and Complaint.objects.count() == 2


def test_form_attempts_are_rate_limited(client, form_data, settings):
    settings.COMPLAINTS_RATE_LIMITS = {"submit_attempt": (3, 600)}
    for _ in range(3):
        client.post("/complaints/new/", form_data(description=""))
    assert client.post("/complaints/new/", form_data()).status_code == 429


def test_limits_live_in_the_shared_cache_not_in_process_memory(settings, rf):
    """Another process sees the count: a fresh cache handler (as a new process would build) reads it."""
    assert "LocMem" not in settings.CACHES["default"]["BACKEND"]
    request = rf.post("/complaints/track/", REMOTE_ADDR="10.9.8.7")
    for _ in range(3):
        ratelimit.count(request, "track")
    key, _period = ratelimit._key(request, "track")
    fresh = CacheHandler(settings.CACHES)["default"]
    assert fresh.get(key) == 3
    assert "10.9.8.7" not in key  # addresses are hashed


def test_proxy_header_is_used_when_configured(settings, rf):
    settings.PORTAL_PROXY_COUNT = 1
    # The client forged an entry; the proxy appended the address it saw.
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.9")
    assert ratelimit.client_address(request) == "203.0.113.9"


def test_proxy_header_is_ignored_without_a_proxy(settings, rf):
    settings.PORTAL_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert ratelimit.client_address(request) == "198.51.100.4"


def test_timeline_says_a_grid_change_in_plain_words(client, submit, township_user, other_township):
    from complaints.services import complaint_reassign_grid

    c = submit()
    complaint_accept(complaint=c, user=township_user, expected_version=c.version)
    complaint_reassign_grid(complaint=c, user=township_user, expected_version=c.version, grid=other_township,
                            reason="发生地在另一个乡镇")
    page = track(client, c.tracking_code).content.decode()
    assert "改派" not in page
    assert "已转交其他网格办理" in page
