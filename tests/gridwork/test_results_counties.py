"""A county's /results/ on a portal of several counties: its ETag follows the county's summary row (recounted
in the background after each change), so a repeat is answered without counting the region's records, and
a change in the county shows once the refresh has run while other counties' pages stay as they were."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from disclosure.models import Grid, Producer
from disclosure.services.sites import grid_site_add
from inspections.models import Inspection

pytestmark = pytest.mark.django_db

HOSTS = {"650502": "yizhou.example.cn", "650522": "yiwu.example.cn"}


@pytest.fixture
def counties():
    call_command("generate_region", prefecture="6505", producers=60, complaints=60, inspections=120, years=1,
                 stdout=io.StringIO())
    for code, host in HOSTS.items():
        grid_site_add(grid=Grid.objects.get(code=code), hostname=host)
    return {code: Grid.objects.get(code=code) for code in HOSTS}


def _get(client, code, **headers):
    return client.get("/results/", HTTP_HOST=HOSTS[code], **headers)


def test_a_countys_results_follow_its_summary_row(client, counties, django_capture_on_commit_callbacks, settings):
    settings.GRIDWORK_ROLLUPS_FOLLOW_CHANGES = True  # off in the tests unless asked for (portal/settings/test.py)
    first = {code: _get(client, code) for code in HOSTS}
    assert all(response.status_code == 200 for response in first.values())
    assert _get(client, "650502", HTTP_IF_NONE_MATCH=first["650502"]["ETag"]).status_code == 304
    producer = Producer.objects.filter(village__path__startswith=counties["650502"].path).first()
    with django_capture_on_commit_callbacks(execute=True):  # the refresh is queued once the change commits
        Inspection.objects.create(producer=producer, township_id=producer.village.parent_id,
                                  inspected_on=timezone.localdate(), inspector_names="测试巡查员")
    changed = _get(client, "650502", HTTP_IF_NONE_MATCH=first["650502"]["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["650502"]["ETag"]
    assert _get(client, "650522", HTTP_IF_NONE_MATCH=first["650522"]["ETag"]).status_code == 304
