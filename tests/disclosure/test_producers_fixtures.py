"""Fixtures shared by the producer tests: `from tests.disclosure.test_producers_fixtures import *_fixture`."""

import datetime
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage

from disclosure.models import Role
from disclosure.services.grids import role_assign
from tests.factories import PersonFactory, ProducerFactory


def make_image(title="测试照片", size=(300, 200), colour="#4a8"):
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:  # transactional tests flush Wagtail's root collection
        Collection.add_root(name="Root")
    buffer = BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    image = get_image_model()(title=title, file=ImageFile(buffer, name="test.jpg"))
    image.save()
    return image


@pytest.fixture(name="staffed")
def staffed_fixture(village, township):
    """A village coordinator and a township supervisor in office since last year."""
    start = timezone.localdate() - datetime.timedelta(days=365)
    coordinator = PersonFactory(name="协管员甲示例", position="村委委员", photo=make_image("协管员照片"))
    supervisor = PersonFactory(name="监管员乙示例", position="网格监管员")
    role_assign(person=coordinator, grid=village, role=Role.COORDINATOR, start_date=start)
    role_assign(person=supervisor, grid=township, role=Role.SUPERVISOR, start_date=start)
    return {"coordinator": coordinator, "supervisor": supervisor}


@pytest.fixture(name="producer")
def producer_fixture(staffed, village):
    """A published cooperative with a credit code, an inspector and a photo, graded A."""
    from disclosure.services.producers import rating_set

    p = ProducerFactory(name="长丰绿源蔬菜示例专业合作社", village=village, credit_code="91350100M000100Y43",
                        on_traceability_platform=True, traceability_code="65230100000001",
                        issues_certificates=True, self_commitment=True,
                        commitment_signed_on=timezone.localdate() - datetime.timedelta(days=30),
                        inspector_name="内检员丙示例", inspector_phone="0994-0000099", photo=make_image("基地"))
    rating_set(producer=p, grade="A", effective_date=timezone.localdate() - datetime.timedelta(days=10),
               basis="年度巡查未发现问题。")
    p.refresh_from_db()
    return p
