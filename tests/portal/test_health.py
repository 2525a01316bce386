"""/healthz checks the database and the cache; pages answer a plain 503 while the database is down."""

from unittest import mock

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_when_all_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server closed the connection")):
        response = client.get("/healthz")
    assert response.status_code == 503 and b"database" in response.content


def test_healthz_is_503_when_the_cache_is_down(client):
    with mock.patch("portal.views.cache.get", side_effect=ConnectionError("redis down")):
        response = client.get("/healthz")
    assert response.status_code == 503 and b"cache" in response.content


def test_a_page_says_plainly_that_the_service_is_unavailable(client, home):
    client.raise_request_exception = False
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server closed the connection")):
        response = client.get("/producers/")
    assert response.status_code == 503
    assert "服务暂时不可用" in response.content.decode()
