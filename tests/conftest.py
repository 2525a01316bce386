import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's live server tests need this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


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
    from portal.models import NewsIndexPage

    return NewsIndexPage.objects.get()


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
