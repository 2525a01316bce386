"""E-mail to the assignee and to the reporter; SMS through the pluggable backend. Sent after commit only."""

import pytest
from django.core import mail

from complaints import sms
from complaints.services import complaint_accept, complaint_assign, complaint_reject

pytestmark = pytest.mark.django_db


def test_assignee_gets_an_email_without_the_reporters_identity(submit, township_user, village_user,
                                                              django_capture_on_commit_callbacks):
    c = submit(reporter_name="保密的人", reporter_phone="13911112222")
    complaint_accept(complaint=c, user=township_user, expected_version=c.version)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        complaint_assign(complaint=c, user=township_user, expected_version=c.version, assignee=village_user)
    to_assignee = [m for m in mail.outbox if m.to == [village_user.email]]
    assert len(to_assignee) == 1
    body = to_assignee[0].body
    assert c.internal_number in body and "/admin/triage/" in body
    assert c.display_code not in body  # the tracking code is the reporter's key, never sent to staff
    assert "保密的人" not in body and "13911112222" not in body


def test_reporter_hears_of_each_public_step(submit, township_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = submit(reporter_email="me@example.invalid", reporter_phone="13911112222")
    assert [m.to for m in mail.outbox] == [["me@example.invalid"]]
    assert c.display_code in mail.outbox[0].body
    assert sms.outbox and sms.outbox[-1].to == "13911112222" and c.display_code in sms.outbox[-1].text
    with django_capture_on_commit_callbacks(execute=True):
        complaint_reject(complaint=c, user=township_user, expected_version=c.version, reason="不属于本部门职责。")
    assert "不属于本部门职责。" in mail.outbox[-1].body
    assert len(sms.outbox) == 2


def test_anonymous_reporters_get_nothing(submit, township_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = submit(anonymous=True, reporter_name="", reporter_phone="", reporter_email="")
        complaint_accept(complaint=c, user=township_user, expected_version=c.version)
    assert mail.outbox == [] and sms.outbox == []


def test_nothing_is_sent_for_a_rolled_back_change(submit, township_user, django_capture_on_commit_callbacks):
    c = submit(reporter_email="me@example.invalid")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        complaint_accept(complaint=c, user=township_user, expected_version=c.version)
    assert len(callbacks) == 1  # queued for after the commit, not sent inside the transaction
    assert mail.outbox == []


def test_a_failing_gateway_does_not_undo_the_change(submit, township_user, settings,
                                                    django_capture_on_commit_callbacks):
    settings.COMPLAINTS_SMS_BACKEND = "tests.complaints.test_notifications.BrokenBackend"
    c = submit()
    with django_capture_on_commit_callbacks(execute=True):
        complaint_accept(complaint=c, user=township_user, expected_version=c.version)
    c.refresh_from_db()
    assert c.state == "accepted"


def test_logging_backend_masks_numbers(caplog):
    caplog.set_level("INFO", logger="complaints.sms")
    sms.LoggingSmsBackend().send_messages([sms.SmsMessage(to="13912345678", text="测试")])
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text


class BrokenBackend(sms.SmsBackend):
    def send_messages(self, messages):
        raise ConnectionError("gateway down")


def test_a_drafted_reply_is_routed_to_the_approvers_of_its_township(submit, township_user, village_user,
                                                                     django_capture_on_commit_callbacks):
    from complaints.services import complaint_draft_reply, complaint_start_investigation
    from staff.selectors import queue_summary

    township_user.email, village_user.email = "sangong@example.invalid", "cf@example.invalid"
    township_user.save(), village_user.save()
    c = submit(reporter_name="保密的人")
    complaint_accept(complaint=c, user=township_user, expected_version=c.version)
    complaint_assign(complaint=c, user=township_user, expected_version=c.version, assignee=village_user)
    complaint_start_investigation(complaint=c, user=village_user, expected_version=c.version)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        complaint_draft_reply(complaint=c, user=village_user, expected_version=c.version, reply="已核实并整改。")
    to_approver = [m for m in mail.outbox if m.to == ["sangong@example.invalid"]]
    assert len(to_approver) == 1 and "答复待您审核" in to_approver[0].subject
    assert c.internal_number in to_approver[0].body and "保密的人" not in to_approver[0].body
    assert not [m for m in mail.outbox if m.to == ["cf@example.invalid"]]  # never the drafter
    # The approver's home screen counts it; the drafter's does not (they cannot approve it).
    assert queue_summary(user=township_user).to_approve == 1
    assert queue_summary(user=village_user).to_approve == 0


def test_a_duplicates_reporter_hears_it_was_merged_not_closed(submit, township_user,
                                                              django_capture_on_commit_callbacks):
    from complaints.services import complaint_mark_duplicate

    original = submit()
    copy = submit(reporter_phone="13911112222", reporter_email="copy@example.invalid")
    sms.outbox.clear()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        complaint_mark_duplicate(complaint=copy, user=township_user, expected_version=copy.version,
                                 original=original)
    text = sms.outbox[-1].text
    assert sms.outbox[-1].to == "13911112222"
    assert "合并办理" in text and "已办结" not in text
    body = mail.outbox[-1].body
    assert "合并办理" in body and "已办结" not in body and "重复件办结" not in body
