"""Sessions and rate limits in Redis (a server of the tests' own): what one application server counts or
signs in, the others see; and a Redis that loses its data signs no member of staff out."""

import threading

import pytest
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db


def test_the_complaint_forms_rate_limit_counts_across_servers(redis_cache, settings):
    settings.COMPLAINTS_RATE_LIMITS = {**settings.COMPLAINTS_RATE_LIMITS, "submit_attempt": (3, 600)}
    one, two = Client(), Client()  # two application servers, one citizen's address
    answers = [server.post("/complaints/new/", {}).status_code for server in (one, two, one, two)]
    assert answers == [200, 200, 200, 429]  # the form with its errors three times, then "too many"
    assert redis_cache.keys("deploy-tests:*complaints:rl:submit_attempt:*")  # the counter lives in Redis


def test_no_count_is_lost_when_servers_count_at_the_same_instant(redis_cache, settings):
    from complaints import ratelimit

    settings.COMPLAINTS_RATE_LIMITS = {**settings.COMPLAINTS_RATE_LIMITS, "track": (1000, 600)}
    request = RequestFactory().post("/complaints/track/", REMOTE_ADDR="10.1.2.3")
    start = threading.Barrier(8)

    def server():
        start.wait()
        for _ in range(25):
            ratelimit.count(request, "track")

    threads = [threading.Thread(target=server) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ratelimit.used(request, "track") == 200


def test_staff_stay_signed_in_on_every_server_and_after_redis_loses_its_data(redis_cache, township_user):
    one = Client()
    one.force_login(township_user)
    assert redis_cache.keys("deploy-tests:*django.contrib.sessions.cached_db*")  # read from Redis
    two = Client()  # another application server, the same browser
    two.cookies = one.cookies
    assert two.get("/admin/").status_code == 200
    redis_cache.flushdb()  # Redis restarted (it keeps nothing on disk)
    assert two.get("/admin/").status_code == 200  # still signed in: the session was written through
    assert one.get("/admin/").status_code == 200
    assert redis_cache.keys("deploy-tests:*django.contrib.sessions.cached_db*")  # and cached again
    two.logout()
    response = one.get("/admin/")
    assert response.status_code == 302 and "/login/" in response["Location"]
