"""No public page or API answer about a complaint carries the reporter's name, phone or e-mail."""

import pytest

from complaints.models import Action, ComplaintEvent
from complaints.selectors import complaint_export_rows
from complaints.services import (
    ComplaintPermissionDenied,
    complaint_accept,
    complaint_approve_reply,
    complaint_assign,
    complaint_close,
    complaint_draft_reply,
    complaint_reporter_identity,
    complaint_start_investigation,
)
from complaints.services.api_keys import open311_key_issue

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "隐私测试人", "13987654321", "secret-reporter@example.invalid"
ADDRESS = "隐私路88号我家院子"


def test_public_pages_and_api_answers_hold_no_personal_data(client, form_data, township_user, village_user):
    response = client.post("/complaints/new/", form_data(
        reporter_name=NAME, reporter_phone=PHONE, reporter_email=EMAIL, address=ADDRESS,
        description=f"我是{NAME}，电话{PHONE}，看到邻居喷药。"))
    pages = {"receipt": client.get(response["Location"])}
    from complaints.models import Complaint

    c = Complaint.objects.get()
    for service, user, kwargs in [
        (complaint_accept, township_user, {"note_public": "已受理，将尽快核查。"}),
        (complaint_assign, township_user, {"assignee": village_user}),
        (complaint_start_investigation, village_user, {}),
        (complaint_draft_reply, village_user, {"reply": "经核查，已责令整改。"}),
        (complaint_approve_reply, township_user, {}), (complaint_close, township_user, {}),
    ]:
        service(complaint=c, user=user, expected_version=c.version, **kwargs)
    client.post("/complaints/track/", {"code": c.tracking_code})
    pages["track"] = client.get("/complaints/track/")
    _client, key = open311_key_issue(name="12345热线")
    for path in ["/api/open311/v2/requests.json", "/api/open311/v2/requests.xml",
                 f"/api/open311/v2/requests/{c.pk}.json", f"/api/open311/v2/requests/{c.pk}.xml",
                 f"/api/open311/v2/requests.json?service_request_id={c.pk}", "/api/open311/v2/services.json"]:
        pages[path] = client.get(path)
    post = client.post("/api/open311/v2/requests.json", {
        "api_key": key, "service_code": "residue", "attribute[kind]": "complaint", "address_string": ADDRESS,
        "description": f"{NAME}反映芹菜有异味", "first_name": "测试人", "last_name": "隐私", "phone": PHONE,
        "email": EMAIL})
    assert post.status_code == 200
    pages["open311 post"] = post
    pages["open311 list after post"] = client.get("/api/open311/v2/requests.json")
    for label, page in pages.items():
        assert page.status_code == 200, label
        text = page.content.decode()
        for secret in (NAME, PHONE, EMAIL, ADDRESS, "看到邻居喷药"):
            assert secret not in text, f"{secret} found in {label}"


def test_identity_needs_the_permission_and_every_view_is_logged(submit, township_user, village_user,
                                                                 other_township_user):
    c = submit(reporter_name=NAME, reporter_phone=PHONE, reporter_email=EMAIL)
    with pytest.raises(ComplaintPermissionDenied):
        complaint_reporter_identity(complaint=c, user=village_user)  # coordinators lack the permission
    with pytest.raises(ComplaintPermissionDenied):
        complaint_reporter_identity(complaint=c, user=other_township_user)  # permission, wrong grid
    assert not ComplaintEvent.objects.identity_views().exists()
    identity = complaint_reporter_identity(complaint=c, user=township_user, purpose="电话回复")
    assert (identity.name, identity.phone, identity.email) == (NAME, PHONE, EMAIL)
    complaint_reporter_identity(complaint=c, user=township_user)
    views = c.events.identity_views()
    assert views.count() == 2
    first = views.order_by("at").first()
    assert first.actor == township_user and first.note_internal == "电话回复" and not first.is_public


def test_exports_leave_identity_out_unless_permitted(submit, township_user, village_user):
    c = submit(reporter_name=NAME, reporter_phone=PHONE, reporter_email=EMAIL)
    from complaints.models import Complaint

    header, rows = complaint_export_rows(queryset=Complaint.objects.all(), user=village_user)
    flat = " ".join(header) + " ".join(str(v) for row in rows for v in row)
    assert len(rows) == 1 and NAME not in flat and PHONE not in flat and "反映人姓名" not in header
    assert not c.events.identity_views().exists()
    header, rows = complaint_export_rows(queryset=Complaint.objects.all(), user=township_user)
    assert "反映人姓名" in header and NAME in rows[0] and PHONE in rows[0]
    assert c.events.filter(action=Action.IDENTITY_EXPORT, actor=township_user).count() == 1
    # Headings follow the exporting user's language (they were fixed in Chinese at import before).
    from django.utils import translation

    with translation.override("en"):
        header, _rows = complaint_export_rows(queryset=Complaint.objects.all(), user=township_user)
    assert "反映人姓名" not in header and not any("编号" in h for h in header)


def test_exports_are_limited_to_the_users_grids(submit, other_township_user):
    submit()
    from complaints.models import Complaint

    _header, rows = complaint_export_rows(queryset=Complaint.objects.all(), user=other_township_user)
    assert rows == []
