import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's live server tests need this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")



def _serial_live_server_on_sqlite():
    """On SQLite the live server's request threads share the test's one in-memory connection: two requests
    at once (a page and its scripts, under a loaded machine) can interleave their transactions and break
    it for every later test. Serve one request at a time there; Django then closes each HTTP connection
    after its response, so the browser's parallel requests simply queue. PostgreSQL keeps the threaded
    server (each thread its own connection)."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")):
        return
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)
            self.connections_override = connections_override

    LiveServerThread.server_class = SerialWSGIServer


_serial_live_server_on_sqlite()

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language: a request in English leaves English active in the thread,
    and text built outside a request (figures, messages) would follow it into the next test."""
    from django.conf import settings
    from django.utils import translation

    from portal.places import place_forget

    translation.activate(settings.LANGUAGE_CODE)
    place_forget()  # the served place's name is remembered a minute: each test has its own grid tree
    yield
    translation.activate(settings.LANGUAGE_CODE)
    place_forget()


def _chromium_available() -> bool:
    return os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


def pytest_report_header(config):
    if _chromium_available():
        return f"browser tests: Chromium at {CHROMIUM}"
    banner = "!" * 78
    return [banner, f"!!! NO CHROMIUM at {CHROMIUM}: browser tests will be SKIPPED"
                    + (" — and FAIL under CI=true" if IN_CI else ""),
            "!!! install it with: sudo apt-get install -y chromium", banner]


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"
        if IN_CI:
            pytest.fail(message + " (CI=true: browser tests must run)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                  "--no-first-run", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def home(db):
    """The page tree every public page hangs from: root → home → news index, and the default site."""
    from portal.services import site_ensure

    return site_ensure()


@pytest.fixture
def news_index(home):
    from portal.services import news_index

    return news_index()


@pytest.fixture
def grids(db):
    """昌吉市's real grid tree: 1 city, 10 townships, 57 villages."""
    from disclosure.services.grids import places_load

    places_load()
    from disclosure.models import Grid

    return Grid.objects.all()


@pytest.fixture
def township(grids):
    return grids.get(code="652301101")  # 三工镇


@pytest.fixture
def village(grids):
    return grids.get(code="652301101200")  # 三工镇长丰村


@pytest.fixture
def staffed_grids(grids):
    """The grid tree with someone in every role, as the plan asks: the city's first responsible person,
    a supervisor and a station tester per township, a coordinator per village (since 2024-01-01)."""
    import datetime

    from disclosure.models import Grid, Role
    from disclosure.services.grids import role_assign
    from tests.factories import PersonFactory

    start = datetime.date(2024, 1, 1)
    role_assign(person=PersonFactory(position="副局长"), grid=Grid.objects.city(), role=Role.CITY_FIRST,
                start_date=start)
    for township in Grid.objects.townships():
        role_assign(person=PersonFactory(), grid=township, role=Role.SUPERVISOR, start_date=start)
        role_assign(person=PersonFactory(position="检测员"), grid=township, role=Role.TESTER, start_date=start)
    for village in Grid.objects.villages():
        role_assign(person=PersonFactory(position="村委委员"), grid=village, role=Role.COORDINATOR, start_date=start)
    return grids


# --- staff users holding roles on grids (complaints and back-office tests) ----------------------------------
# Each folder's conftest defines `staff_groups`: the complaints tests grant the complaint permissions
# only, the staff tests the real roles (staff.roles.staff_roles_setup).

def _group_for_role():
    from disclosure.models import Role

    return {Role.SUPERVISOR: "township_supervisor", Role.TESTER: "township_supervisor",
            Role.COORDINATOR: "village_coordinator", Role.CITY_FIRST: "city_supervisor"}


@pytest.fixture
def make_staff(staff_groups):
    """make_staff(username, grid, role, group=None): a staff user holding a role on a grid since last year
    (grid None: no linked person at all)."""
    import datetime

    from django.contrib.auth.models import Group

    from disclosure.services.grids import role_assign
    from tests.factories import PersonFactory, UserFactory

    def make(username, grid, role=None, group=None):
        user = UserFactory(username=username, first_name=f"{username}姓名")
        if grid is not None:
            person = PersonFactory(name=f"{username}示例", user=user)
            role_assign(person=person, grid=grid, role=role,
                        start_date=datetime.date.today() - datetime.timedelta(days=365))
        user.groups.add(Group.objects.get(name=group or _group_for_role()[role]))
        return user

    return make


@pytest.fixture
def city_user(make_staff, grids):
    from disclosure.models import Role

    return make_staff("city", grids.get(level="city"), Role.SUPERVISOR, "city_supervisor")


@pytest.fixture
def township_user(make_staff, township):
    from disclosure.models import Role

    return make_staff("sangong", township, Role.SUPERVISOR)


@pytest.fixture
def village_user(make_staff, village):
    from disclosure.models import Role

    return make_staff("changfeng", village, Role.COORDINATOR)


@pytest.fixture
def other_township(grids):
    return grids.filter(level="township").exclude(code="652301101").order_by("code").first()


@pytest.fixture
def other_township_user(make_staff, other_township):
    from disclosure.models import Role

    return make_staff("othertown", other_township, Role.SUPERVISOR)


@pytest.fixture
def other_village(township, village):
    return township.children.exclude(pk=village.pk).order_by("code").first()


@pytest.fixture
def other_village_user(make_staff, other_village):
    from disclosure.models import Role

    return make_staff("othervillage", other_village, Role.COORDINATOR)


@pytest.fixture
def login(client):
    """login(user) → the test client logged in as that user."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in
