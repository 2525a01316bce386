"""Purging the front cache: what changes a public page sends the front cache a PURGE for its paths once the
change is committed, and never holds up or breaks the change when the cache does not answer."""

import logging
import socket

import pytest
from django.db import transaction
from django.utils import timezone

from disclosure.models import Grade
from disclosure.services.producers import rating_set, statement_publish
from portal.frontcache import purges_wait
from tests.factories import NewsPageFactory, ProducerFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def grade(producer, letter=Grade.B):
    return rating_set(producer=producer, grade=letter, effective_date=TODAY, basis="抽检发现问题，列入重点监控。")


def test_a_new_grade_purges_the_producers_pages_after_the_commit(purge_recorder, village,
                                                                 django_capture_on_commit_callbacks):
    producer = ProducerFactory(village=village, code="AB12CD")
    purges_wait(5)
    purge_recorder.requests.clear()  # creating the producer purged too
    with django_capture_on_commit_callbacks(execute=True):
        grade(producer)
        assert purges_wait(5) and not purge_recorder.paths  # nothing before the commit
    assert purges_wait(5)
    assert {"/p/AB12CD/", "/P/AB12CD/", "/producers/", "/api/v1/producers/AB12CD/"} <= purge_recorder.paths
    assert "nc.example.cn" in purge_recorder.hosts()  # the portal's own host (PORTAL_BASE_URL)


def test_a_change_that_is_rolled_back_purges_nothing(purge_recorder, village, django_capture_on_commit_callbacks):
    producer = ProducerFactory(village=village)
    purges_wait(5)
    purge_recorder.requests.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        statement_publish(producer=producer, text="我单位已整改完毕。", stated_on=TODAY)
        raise RuntimeError("the save fails after the statement")
    assert purges_wait(5) and not purge_recorder.paths


def test_editing_a_producer_in_the_back_office_purges_its_page(purge_recorder, village,
                                                              django_capture_on_commit_callbacks):
    producer = ProducerFactory(village=village, code="EF34GH")
    with django_capture_on_commit_callbacks(execute=True):
        producer.products = "番茄、黄瓜"
        producer.save()
    assert purges_wait(5) and {"/p/EF34GH/", "/P/EF34GH/"} <= purge_recorder.paths


def test_publishing_news_purges_the_article_and_the_lists_that_show_it(purge_recorder, news_index,
                                                                      django_capture_on_commit_callbacks):
    page = NewsPageFactory(parent=news_index, slug="spring-inspections", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
        assert purges_wait(5) and not purge_recorder.paths
    assert purges_wait(5)
    assert {"/news/spring-inspections/", "/news/", "/"} <= purge_recorder.paths
    purge_recorder.requests.clear()
    page.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert purges_wait(5) and "/news/spring-inspections/" in purge_recorder.paths


def test_nothing_is_sent_without_a_front_cache(village, settings, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = None
    producer = ProducerFactory(village=village)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        grade(producer)
    assert callbacks == []


@pytest.fixture
def silent_cache(settings):
    """A front cache that accepts connections and never answers (a hung server), and the address of
    one that refuses them (a stopped server)."""
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(8)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        refused_port = closed.getsockname()[1]
    settings.WAGTAILFRONTENDCACHE = {
        "hung": {"BACKEND": "portal.frontcache.PurgeBackend", "LOCATION": f"http://127.0.0.1:{hung.getsockname()[1]}"},
        "down": {"BACKEND": "portal.frontcache.PurgeBackend", "LOCATION": f"http://127.0.0.1:{refused_port}"},
    }
    settings.PORTAL_PURGE_TIMEOUT = 0.5
    yield
    purges_wait(10)
    hung.close()


def test_a_front_cache_that_does_not_answer_neither_fails_nor_holds_up_a_grade(silent_cache, village, caplog,
                                                                              django_capture_on_commit_callbacks):
    producer = ProducerFactory(village=village, code="JK56LM")
    purges_wait(10)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="portal.frontcache"):
        with django_capture_on_commit_callbacks(execute=True):
            rating = grade(producer, Grade.C)
        # The grade is saved and the request goes on while the purge still waits for the hung cache.
        assert not purges_wait(0)
        producer.refresh_from_db()
        assert producer.grade == Grade.C and rating.pk
        assert purges_wait(10)
    warnings = [r.getMessage() for r in caplog.records if "did not purge" in r.getMessage()]
    assert len(warnings) == 2 and all("JK56LM" in w and "and 4 more" in w for w in warnings)  # one per cache
    assert any("timed out" in w for w in warnings) and any("refused" in w for w in warnings)
    assert producer.ratings.count() == 1 and producer.grade_since == TODAY
