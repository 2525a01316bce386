"""Factories for the tests: real models, real page trees."""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model

from portal.models import NewsPage, StandardPage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    is_staff = True

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "pw-for-tests-only")
        if create:
            self.save(update_fields=["password"])


class NewsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"网格化管理动态第{n}期")
    kind = "dynamics"
    date = factory.LazyFunction(datetime.date.today)
    intro = "各乡镇网格监管员开展日常巡查。"
    body = factory.LazyFunction(lambda: [("paragraph", "<p>巡查中未发现问题。</p>")])


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"说明{n}")
    intro = ""
    body = factory.LazyFunction(lambda: [("paragraph", "<p>正文</p>")])


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


# --- disclosure ---------------------------------------------------------------------------------
from disclosure.models import Grid, GridLevel, Person, Producer, ProducerKind  # noqa: E402


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"示例人员{n}")
    position = "网格监管员"
    organisation = "示例单位"
    phone = factory.Sequence(lambda n: f"0994-0{n:06d}")


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    name = factory.Sequence(lambda n: f"示例绿源蔬菜专业合作社{n}")
    kind = ProducerKind.COOPERATIVE
    village = factory.LazyFunction(lambda: Grid.objects.filter(level=GridLevel.VILLAGE).order_by("code").first())
    products = "蔬菜"
    legal_representative = "王示例"


# --- complaints ---------------------------------------------------------------------------------------
def complaint_submit_for_tests(**overrides):
    """A web complaint through the real service (routing, tracking code, deadlines, log), about the first
    village unless told otherwise. Use the services to move it along its lifecycle."""
    from complaints.models import Category, Kind
    from complaints.services import complaint_submit

    values = {"kind": Kind.REPORT, "category": Category.BANNED_PESTICIDE,
              "description": "看到有人在大棚里喷洒禁用农药。",
              "place_village": Grid.objects.filter(level=GridLevel.VILLAGE).order_by("code").first(),
              "reporter_name": "反映人示例", "reporter_phone": "13900000000"}
    values.update(overrides)
    return complaint_submit(**values)
