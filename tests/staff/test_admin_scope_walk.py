"""Every admin URL, walked from the URL resolver, as staff of township A with objects of township B.

The grid admin, producers, complaints, inspections and running the grid are scoped to the user's grids:
an object of another township answers as if it did not exist. Wagtail builds many views per viewset
(edit, history, usage, copy, revisions, choosers, the admin API …), and a new viewset or a new Wagtail
release adds more. This test does not list them: it asks the resolver for every pattern under /admin/,
fills each `pk` with the other township's object of the matching model, and fails on

- any 200 for an object of the other township (unless the pattern is in ALLOWED_200, with its reason), and
- any 200 page (of any pattern, with or without an object) that shows the other township's identifying
  text: the person's name and unlisted phone, the producer's name, the complaint, the photos' titles.

Bulk actions and the choosers' chosen-multiple take their ids in `?id=`; listings are also fetched with
`?q=` and `?export=csv`. Patterns whose object cannot be worked out from the URL name are skipped only
when listed in NOT_GRID_OBJECTS (things that belong to no grid, printed by the test) — an unknown pattern
fails the test, so that the next viewset has to be placed in OBJECT_FOR or in that list.
"""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
# What identifies township B's objects on a page. None of it is public (the phone is unlisted; the rest
# is typed here and nowhere else), so a page showing it to township A's staff has leaked.
SECRETS = ("越界人员甲", "13877776666", "越界合作社", "越界投诉内容", "越界内检员照片", "越界人员照片", "越界会商议题",
           "越界培训主题", "越界督查内容")

# Namespaces (or whole names) of patterns that take an id of something that belongs to no grid: Wagtail's
# own pages, documents, users, groups, sites and settings, image uploads in progress; the city's calendar,
# substances and API keys. Their access is decided by permissions alone, which other tests check. (Images
# are walked: the people's and the producers' photos are township B's.)
NOT_GRID_OBJECTS = (
    "wagtailadmin_pages", "wagtailadmin_explore", "wagtailadmin_choose_page", "wagtailadmin_api:pages",
    "wagtailadmin_workflows", "wagtailadmin_tasks", "wagtailadmin_collections", "wagtailadmin_editing_sessions",
    "wagtailadmin_password_reset", "wagtailadmin_tag_model_autocomplete", "wagtail_bulk_action",
    "wagtailimages:create_multiple", "wagtailimages:delete_upload", "wagtaildocs", "wagtailusers",
    "wagtailsites", "wagtailsettings", "wagtailredirects",
    "wagtailforms", "wagtailsearch", "wagtailsearchpromotions", "wagtailcore", "wagtaillocales",
    "wagtail_localize",  # translations of CMS pages (page permissions), no grid objects
    "wagtailsnippets_disclosure_substance", "wagtailsnippetchoosers_disclosure_substance",
    "wagtailsnippets_portal_holiday", "wagtailsnippetchoosers_portal_holiday", "wagtailsnippets_portal",
    "open311_clients", "second_factor", "lockouts", "wagtailadmin_api:documents",
)
# Bulk actions take their objects in ?id=: tried on each scoped snippet model.
BULK = (("disclosure", "person", "person"), ("disclosure", "grid", "grid"), ("disclosure", "producer", "producer"))
# Listings are also searched for what identifies township B's objects, and exported.
SEARCHED = re.compile(r"(index|list|listing|choose|choose_results|results|search)$")
EXPORTED = re.compile(r"(index|list)$")

# Object patterns that may answer 200 for another township's object, and why. Empty today: every object
# view is scoped. (Add an entry only with the reason, e.g. a city-wide read-only page the design asks for.)
ALLOWED_200: dict[str, str] = {}

# No-argument pages skipped: they act on the session or stream files, not show objects.
SKIP_PLAIN = ("wagtailadmin_logout", "wagtailadmin_login", "wagtailadmin_password_reset", "wagtailadmin_sprite",
              "wagtailadmin_javascript_catalog", "wagtailadmin_icons",
              "wagtailadmin_error_test")  # the last: Wagtail's deliberate 500 (/admin/failwhale/)


def _jpeg(name="p.jpg") -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 60)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _image(title):
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return get_image_model().objects.create(title=title, file=ImageFile(_jpeg(), name="walk.jpg"))


@pytest.fixture
def foreign(make_staff, other_township, city_user):
    """Township B's objects of every scoped kind, made through the services as B's own staff."""
    from disclosure.models import Role
    from gridwork.models.meetings import MeetingStatus
    from gridwork.services.meetings import meeting_save
    from gridwork.services.oversight import check_record
    from gridwork.services.training import session_save
    from inspections.services.plans import plan_generate
    from inspections.services.records import inspection_record, sample_take
    from tests.factories import PersonFactory, ProducerFactory, complaint_submit_for_tests

    b_user = make_staff("walk_b", other_township, Role.SUPERVISOR)
    b_village = other_township.children.order_by("code").first()
    person = PersonFactory(name="越界人员甲", phone="13877776666", phone_public=False,
                           photo=_image("越界人员照片"))
    person.save_revision(user=b_user)
    person.phone_alt = "0994-7777666"
    person.save()
    person.save_revision(user=b_user)
    from disclosure.services.grids import role_assign

    assignment = role_assign(person=person, grid=b_village, role=Role.COORDINATOR,
                             start_date=TODAY - datetime.timedelta(days=30))
    producer = ProducerFactory(village=b_village, name="越界合作社", inspector_name="越界内检员",
                               inspector_photo=_image("越界内检员照片"))
    producer.save_revision(user=b_user)
    complaint = complaint_submit_for_tests(place_village=b_village, description="越界投诉内容，大棚喷洒禁用农药。")
    plan = plan_generate(township=other_township, year=TODAY.year, user=b_user)
    inspection = inspection_record(producer=producer, user=b_user, inspected_on=TODAY,
                                   results=dict.fromkeys(range(1, 8), ("pass", "")), representative="王示例",
                                   photos=[_jpeg()]).obj
    sample = sample_take(producer=producer, user=b_user, product="黄瓜",
                         taken_at=timezone.now() - datetime.timedelta(hours=1)).obj
    session = session_save(user=b_user, grid=other_township, held_on=TODAY, topic="越界培训主题", trainer="王示例",
                           place="会议室")
    meeting = meeting_save(user=b_user, grid=other_township, held_on=TODAY, place="会议室", topic="越界会商议题",
                           chair="站长", status=MeetingStatus.HELD, minutes="纪要")
    check = check_record(user=city_user, township=other_township, checked_on=TODAY, scope="越界督查内容",
                         outcome="satisfactory")
    from gridwork.services.assessment import scheme_open, scores_compute
    from gridwork.services.reports import report_draft

    last_month = TODAY.replace(day=1) - datetime.timedelta(days=1)
    report = report_draft(user=b_user, township=other_township, year=last_month.year, month=last_month.month)
    scores_compute(scheme=scheme_open(year=TODAY.year, user=city_user), user=city_user)
    from portal.models import BackgroundJob

    job = BackgroundJob.objects.create(kind="signboards", title="越界批量打印", started_by=b_user)
    from disclosure.services.badges import badge_issue

    badge, _created = badge_issue(assignment=assignment, by=b_user)
    return {
        "person": person, "assignment": assignment, "producer": producer, "grid": other_township,
        "complaint": complaint, "plan": plan, "visit": plan.visits.order_by("id").first(),
        "inspection": inspection, "photo": inspection.photos.first(), "sample": sample,
        "session": session, "meeting": meeting, "check": check, "image": producer.inspector_photo,
        "report": report, "job": job, "badge": badge,
        "owner": b_user,
    }


# URL name (namespace:name, matched by prefix) → which of township B's objects fills its pk. First match wins.
OBJECT_FOR = (
    ("wagtailsnippets_disclosure_person:", "person"), ("wagtailsnippetchoosers_disclosure_person:", "person"),
    ("wagtailsnippets_disclosure_grid:", "grid"), ("wagtailsnippetchoosers_disclosure_grid:", "grid"),
    ("wagtailsnippets_disclosure_producer:", "producer"), ("wagtailsnippetchoosers_disclosure_producer:", "producer"),
    ("producer_admin:", "producer"),
    ("grid_assignments:", "assignment"),
    ("badges:revoke", "badge"), ("badges:print", "assignment"),
    ("triage:", "complaint"),
    ("inspections:photo", "photo"), ("inspections:sample_label", "sample"),
    ("inspections:plan", "plan"), ("inspections:visit_add", "plan"), ("inspections:visit", "visit"),
    ("inspections:", "inspection"),
    ("gridwork:meeting", "meeting"), ("gridwork:training", "session"), ("gridwork:oversight", "check"),
    ("gridwork:report", "report"), ("gridwork:assessment_card", "grid"), ("jobs:", "job"),
    ("wagtailadmin_api:images:", "image"), ("wagtailimages", "image"),
)


def _patterns(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name}" if namespace else entry.name, entry


def _kwarg_names(pattern: URLPattern) -> list[str]:
    regex = pattern.pattern.regex
    return list(regex.groupindex)


def _object_for(name):
    return next((key for prefix, key in OBJECT_FOR if name.startswith(prefix)), None)


def _fill(name, kwargs, obj):
    """The URL of `name` for `obj`, its other arguments filled with what the view expects."""
    from wagtail.models import Revision

    values = {"pk": obj.pk}
    for key in kwargs:
        if key == "revision_id":
            revision = Revision.objects.for_instance(obj).order_by("id").first()
            values[key] = revision.pk if revision else 1
        elif key == "revision_id_a":
            values[key] = "earliest"
        elif key == "revision_id_b":
            values[key] = "latest"
        elif key == "action":
            values[key] = "move" if "visit" in name else "accept"
        elif key == "image_id":
            values["image_id"] = values.pop("pk")
        elif key == "filter_spec":
            values[key] = "original"
        elif key == "township":
            values["township"] = values.pop("pk")
        elif key == "year":
            values[key] = TODAY.year
        elif key != "pk":
            return None
    return reverse(name, kwargs=values)


def _admin_patterns():
    for route, name, pattern in _patterns(get_resolver().url_patterns):
        if route.startswith("admin/"):
            yield name, pattern


def _urls(foreign, leaks, skipped):
    """(name, url, key): every admin pattern filled with township B's object (key None for plain pages)."""
    for app_label, model_name, key in BULK:
        for action in ("delete", "publish", "unpublish"):
            url = reverse("wagtail_bulk_action", args=[app_label, model_name, action])
            yield "wagtail_bulk_action", f"{url}?id={foreign[key].pk}", key
    for name, pattern in _admin_patterns():
        kwargs = _kwarg_names(pattern)
        if name == "wagtail_bulk_action":
            continue
        if name.endswith(":chosen_multiple") and _object_for(name):  # the chooser's ids come in ?id=
            key = _object_for(name)
            yield name, f"{reverse(name)}?id={foreign[key].pk}", key
            continue
        if kwargs and name.startswith(NOT_GRID_OBJECTS):
            skipped.add(name)
            continue
        key = _object_for(name) if kwargs else None
        if kwargs and key is None:
            leaks.append(f"{name}: no object known for this pattern — add it to OBJECT_FOR or NOT_GRID_OBJECTS")
            continue
        if not kwargs and name.startswith(SKIP_PLAIN):
            continue
        try:
            url = _fill(name, kwargs, foreign[key]) if kwargs else reverse(name)
        except NoReverseMatch:
            url = None
        if url is None:
            leaks.append(f"{name}: cannot fill its arguments {kwargs} — teach _fill, or list it in NOT_GRID_OBJECTS")
            continue
        yield name, url, key
        if not kwargs and SEARCHED.search(name):
            yield name, f"{url}?q=越界", None
        if not kwargs and EXPORTED.search(name):
            yield name, f"{url}?export=csv", None


def _walk(client, foreign, objects_only=False):
    """(leaks, skipped, visited): every admin pattern GET as this client (only those of an object if told)."""
    leaks, skipped, visited = [], set(), 0
    seen = set()
    for name, url, key in list(_urls(foreign, leaks, skipped)):
        if url in seen or (objects_only and not key):
            continue
        seen.add(url)
        response = client.get(url)
        visited += 1
        if response.status_code != 200:
            continue
        if name.endswith(":chosen_multiple"):  # answers 200 with the chosen objects it may return
            if response.json()["result"]:
                leaks.append(f"{name}: returns township B's {key} ({url})")
            continue
        if key and name not in ALLOWED_200:
            leaks.append(f"{name}: 200 for township B's {key} ({url})")
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)  # JSON escapes
        shown = [secret for secret in SECRETS if secret in text]
        if shown:
            leaks.append(f"{name}: shows {', '.join(shown)} ({url})")
    return leaks, skipped, visited


# A township supervisor and a village coordinator of township A, and a staff account linked to no person
# (so to no grid at all).
@pytest.mark.parametrize("role", ["township_user", "village_user", "unlinked_user"])
def test_no_admin_view_shows_another_townships_objects(role, request, foreign, client):
    client.force_login(request.getfixturevalue(role))
    leaks, skipped, visited = _walk(client, foreign)
    namespaces = sorted({name.split(":")[0] for name in skipped})
    print(f"\n{role}: {visited} admin URLs visited; skipped, as belonging to no grid: {len(skipped)} patterns "
          f"of {', '.join(namespaces)}")
    assert visited > 100
    assert not leaks, "\n".join(leaks)


def test_the_walk_finds_a_view_that_is_not_scoped(foreign, client, city_user):
    """The walk itself can fail: the city sees township B, so its walk reports B's objects."""
    client.force_login(city_user)
    leaks, _skipped, _visited = _walk(client, foreign, objects_only=True)
    assert any(line.startswith("wagtailsnippets_disclosure_person:edit: 200") for line in leaks)
    assert any("triage:detail" in line for line in leaks)


def test_township_b_still_opens_its_own_objects_in_every_view(foreign, client):
    """The scoping hides B's objects from A, not from B: the views that leaked answer B's supervisor."""
    person, assignment, producer = foreign["person"], foreign["assignment"], foreign["producer"]
    client.force_login(foreign["owner"])
    person_views = "wagtailsnippets_disclosure_person"
    for url in (reverse(f"{person_views}:edit", args=[person.pk]), reverse(f"{person_views}:history", args=[person.pk]),
                reverse(f"{person_views}:usage", args=[person.pk]),
                reverse(f"{person_views}:revisions_compare", args=[person.pk, "earliest", "latest"]),
                reverse("grid_assignments:history", args=[assignment.pk]),
                reverse("grid_assignments:usage", args=[assignment.pk]),
                reverse("wagtailsnippets_disclosure_producer:usage", args=[producer.pk]),
                reverse("wagtailsnippetchoosers_disclosure_person:chosen", args=[person.pk]),
                reverse("wagtailsnippetchoosers_disclosure_producer:chosen", args=[producer.pk])):
        assert client.get(url).status_code == 200, url
    compare = client.get(reverse(f"{person_views}:revisions_compare", args=[person.pk, "earliest", "latest"]))
    assert "0994-7777666" in compare.content.decode()  # the change between the two revisions
    chooser = client.get(reverse("wagtailsnippetchoosers_disclosure_person:choose_results") + "?q=越界")
    assert "越界人员甲" in chooser.content.decode()


def test_the_admin_api_lists_only_the_images_a_user_may_choose(foreign, client, township_user, admin_user):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission

    url = reverse("wagtailadmin_api:images:listing")
    client.force_login(township_user)
    assert client.get(url).json()["meta"]["total_count"] == 0
    assert client.get(reverse("wagtailadmin_api:images:detail", args=[foreign["image"].pk])).status_code == 404
    # Given the choose permission on the collection the photos are in, the user sees them, as in the chooser.
    choosers = Group.objects.create(name="image choosers")
    GroupCollectionPermission.objects.create(
        group=choosers, collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(content_type__app_label="wagtailimages", codename="choose_image"))
    township_user.groups.add(choosers)
    assert {item["title"] for item in client.get(url).json()["items"]} == {"越界人员照片", "越界内检员照片"}
    client.force_login(admin_user)
    assert client.get(url).json()["meta"]["total_count"] == 2


def test_the_admin_api_lists_only_the_documents_a_user_may_choose(foreign, client, township_user, admin_user):
    """Township B's training materials (Wagtail documents) are not listed to township A's staff."""
    from gridwork.services.training import session_save

    session_save(user=foreign["owner"], grid=foreign["grid"], held_on=TODAY, topic="越界培训主题",
                 trainer="王示例", place="会议室", session=foreign["session"],
                 files=[SimpleUploadedFile("越界讲义.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")])
    url = reverse("wagtailadmin_api:documents:listing")
    client.force_login(township_user)
    assert client.get(url).json()["meta"]["total_count"] == 0
    client.force_login(admin_user)
    assert [item["title"] for item in client.get(url).json()["items"]] == ["越界培训主题 · 越界讲义"]
