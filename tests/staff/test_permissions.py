"""The back office's permission matrix, through the real views: each role × the queue, a complaint's page,
its photo, the export, the reporter's identity and the actions.

Roles: the city, a township supervisor of the complaint's township and of another, a village coordinator
of the complaint's village and of another village of the same township, and a user in a staff group whose
account is linked to no person (so to no grid).
"""

import csv
import io

import pytest
from django.urls import reverse

from complaints.models import Action, Complaint, ComplaintEvent, State
from complaints.services import complaint_accept, complaint_assign

pytestmark = pytest.mark.django_db

ROLES = ["city_user", "township_user", "other_township_user", "village_user", "other_village_user", "unlinked_user"]
SEES = {"city_user", "township_user", "village_user"}
IDENTITY = {"city_user", "township_user"}
EXPORTS = {"city_user", "township_user", "other_township_user", "unlinked_user"}
TRIAGES = {"city_user", "township_user"}


@pytest.fixture
def complaint(submit):
    return submit(photos=1)


@pytest.fixture
def user_for(request):
    return lambda role: request.getfixturevalue(role)


def _codes(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_queue_detail_photo(role, user_for, login, complaint):
    client = login(user_for(role))
    queue = client.get(reverse("triage:index"))
    assert queue.status_code == 200
    assert (complaint.internal_number in _codes(queue)) is (role in SEES)
    detail = client.get(reverse("triage:detail", args=[complaint.pk]))
    assert detail.status_code == (200 if role in SEES else 404)
    photo = complaint.photos.get()
    for name in ("complaints:photo", "complaints:photo_thumbnail"):
        response = client.get(reverse(name, args=[photo.pk]))
        assert response.status_code == (200 if role in SEES else 403), name
    if role in SEES:
        page = _codes(detail)
        assert reverse("complaints:photo_thumbnail", args=[photo.pk]) in page
        assert reverse("complaints:photo", args=[photo.pk]) in page
        # The identity is never printed on the page itself.
        assert "举报人示例" not in page and "13912345678" not in page


@pytest.mark.parametrize("role", ROLES)
def test_export(role, user_for, login, complaint):
    client = login(user_for(role))
    response = client.get(reverse("triage:index") + "?state=all&export=csv")
    if role not in EXPORTS:
        # Refused the Wagtail way: back to the admin home with a message.
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
        return
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    codes = [row[0] for row in rows[1:]]
    assert (complaint.internal_number in codes) is (role in SEES)
    assert ("反映人姓名" in rows[0]) is (role in IDENTITY or role in {"other_township_user", "unlinked_user"})
    assert ("举报人示例" in response.content.decode("utf-8-sig")) is (role in IDENTITY)


@pytest.mark.parametrize("role", ROLES)
def test_reporter_identity(role, user_for, login, complaint):
    user = user_for(role)
    client = login(user)
    url = reverse("triage:identity", args=[complaint.pk])
    if role in SEES:
        page = _codes(client.get(reverse("triage:detail", args=[complaint.pk])))
        assert (url in page) is (role in IDENTITY)
    response = client.post(url, {"purpose": "电话回复办理结果"})
    views = ComplaintEvent.objects.filter(complaint=complaint, action=Action.IDENTITY_VIEW)
    if role in IDENTITY:
        assert response.status_code == 200
        assert "举报人示例" in _codes(response) and "13912345678" in _codes(response)
        assert response["Cache-Control"].startswith("no-store")
        event = views.get()
        assert event.actor == user and event.note_internal == "电话回复办理结果"
    else:
        assert response.status_code == (403 if role in SEES else 404)
        assert "举报人示例" not in _codes(response)
        assert not views.exists()
        if role in SEES:
            assert "查看反映人身份需要专门授权" in _codes(response)


@pytest.mark.parametrize("role", ROLES)
def test_accept(role, user_for, login, complaint):
    client = login(user_for(role))
    response = client.post(reverse("triage:act", args=[complaint.pk, "accept"]),
                           {"expected_version": complaint.version, "note_public": "已受理，将尽快核实。"})
    complaint.refresh_from_db()
    if role in TRIAGES:
        assert response.status_code == 302 and response["Location"] == reverse("triage:detail", args=[complaint.pk])
        assert complaint.state == State.ACCEPTED
        event = complaint.events.get(action=Action.ACCEPT)
        assert event.note_public == "已受理，将尽快核实。" and event.actor == user_for(role)
    elif role in SEES:
        assert response.status_code == 403
        assert "您没有“受理”的权限" in _codes(response)
        assert "已受理，将尽快核实。" in _codes(response)  # what was typed is still there
        assert complaint.state == State.SUBMITTED
    else:
        assert response.status_code == 404
        assert complaint.state == State.SUBMITTED


@pytest.mark.parametrize("role", ROLES)
def test_investigate_assigned(role, user_for, login, complaint, township_user, village_user):
    """A coordinator may start the investigation of a complaint assigned in their village."""
    complaint_accept(complaint=complaint, user=township_user, expected_version=complaint.version)
    complaint_assign(complaint=complaint, user=township_user, expected_version=complaint.version,
                     assignee=village_user)
    client = login(user_for(role))
    if role in SEES:
        page = _codes(client.get(reverse("triage:detail", args=[complaint.pk])))
        assert reverse("triage:act", args=[complaint.pk, "start_investigation"]) in page
        # A coordinator is offered no triage or assignment actions.
        if role == "village_user":
            assert reverse("triage:act", args=[complaint.pk, "reassign_grid"]) not in page
            assert reverse("triage:act", args=[complaint.pk, "assign"]) not in page
    response = client.post(reverse("triage:act", args=[complaint.pk, "start_investigation"]),
                           {"expected_version": complaint.version})
    complaint.refresh_from_db()
    if role in SEES:
        assert response.status_code == 302
        assert complaint.state == State.INVESTIGATING
    else:
        assert response.status_code == 404
        assert complaint.state == State.ASSIGNED


def test_anonymous_visitors_are_sent_to_the_login(client, complaint):
    for url in (reverse("triage:index"), reverse("triage:detail", args=[complaint.pk]),
                reverse("triage:dashboard"), reverse("triage:record")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
    response = client.post(reverse("triage:act", args=[complaint.pk, "accept"]), {"expected_version": 1})
    assert response.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).state == State.SUBMITTED


def test_staff_without_complaint_permissions_are_refused(login, complaint, staff_groups):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(username="editor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = login(user)
    for url in (reverse("triage:index"), reverse("triage:detail", args=[complaint.pk]), reverse("triage:dashboard")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_unknown_action_is_404(login, township_user, complaint):
    client = login(township_user)
    response = client.post(reverse("triage:act", args=[complaint.pk, "delete"]), {"expected_version": 1})
    assert response.status_code == 404
