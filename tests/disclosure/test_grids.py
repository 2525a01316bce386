"""Grids: the tree's rules, and the public grid map pages /grid/, /grid/<township>/, /grid/<t>/<village>/."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure import geo
from disclosure.models import Grid, GridLevel, Role, RoleAssignment
from disclosure.services.grids import grid_map_load, role_assign
from tests.factories import PersonFactory, ProducerFactory

pytestmark = pytest.mark.django_db


def square(lon, lat, size=0.05):
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size],
                                                [lon, lat + size], [lon, lat]]]}


# --- the tree's rules ---------------------------------------------------------------------------------

def test_places_load_builds_the_plan_tree(grids):
    assert grids.filter(level=GridLevel.CITY).count() == 1
    assert grids.filter(level=GridLevel.TOWNSHIP).count() == 10
    assert grids.filter(level=GridLevel.VILLAGE).count() == 57
    city = Grid.objects.city()
    assert all(t.parent_id == city.pk for t in Grid.objects.townships())
    assert all(v.parent.level == GridLevel.TOWNSHIP for v in Grid.objects.villages().select_related("parent"))


def test_a_village_under_the_city_is_refused_with_a_clear_message(grids):
    city = Grid.objects.city()
    with pytest.raises(ValidationError) as exc:
        Grid(level=GridLevel.VILLAGE, code="652301999001", name="新村", slug="xincun", parent=city).save()
    assert "村级网格的上级必须是乡镇级网格" in str(exc.value.message_dict["parent"])


def test_a_township_needs_a_parent_and_a_second_county_must_join_under_a_prefecture(grids):
    with pytest.raises(ValidationError) as exc:
        Grid(level=GridLevel.TOWNSHIP, code="652301999", name="新镇", slug="xinzhen").save()
    assert "必须选择上级网格" in str(exc.value.message_dict["parent"])
    with pytest.raises(ValidationError) as exc:
        Grid(level=GridLevel.CITY, code="652302", name="阜康市", slug="fukang").save()
    assert "网格只能有一个最上级" in str(exc.value.message_dict["parent"])


def test_a_prefecture_above_two_counties_gives_every_grid_its_path(grids):
    city = Grid.objects.city()
    prefecture = Grid(level=GridLevel.PREFECTURE, code="6523", name="昌吉回族自治州", slug="changjizhou")
    prefecture.save()  # refused while 昌吉市 heads the tree alone…
    city.parent = prefecture
    city.save()
    village = Grid.objects.villages().first()
    assert village.path.startswith("6523/652301/") and village.path.endswith(f"/{village.code}/")
    fukang = Grid(level=GridLevel.CITY, code="652302", name="阜康市", slug="fukang", parent=prefecture)
    fukang.save()
    assert set(Grid.objects.within(prefecture).counties()) == {city, fukang}
    assert Grid.objects.within(fukang).count() == 1
    assert village.ancestor(GridLevel.PREFECTURE) == prefecture


def test_a_city_may_not_have_a_parent_and_a_township_with_villages_may_not_become_a_village(township):
    city = Grid.objects.city()
    city.parent = township
    with pytest.raises(ValidationError) as exc:
        city.full_clean()
    assert "市级网格的上级必须是地州级网格" in str(exc.value.message_dict["parent"])
    other = Grid.objects.townships().exclude(pk=township.pk).first()
    township.level, township.parent = GridLevel.VILLAGE, other
    with pytest.raises(ValidationError) as exc:
        township.full_clean()
    assert "村级网格不能有下级网格" in str(exc.value.message_dict["level"])


def test_slugs_are_lowercase_pinyin(township):
    township.slug = "San Gong"
    with pytest.raises(ValidationError) as exc:
        township.full_clean()
    assert "小写拼音" in str(exc.value.message_dict["slug"])


def test_a_bad_boundary_is_refused_in_words(village):
    village.boundary = {"type": "Point", "coordinates": [87.3, 44.0]}
    with pytest.raises(ValidationError) as exc:
        village.full_clean()
    assert "Polygon" in str(exc.value.message_dict["boundary"])
    village.boundary = {"type": "Polygon", "coordinates": [[[87.3, 144.0], [87.4, 44.0], [87.4, 44.1], [87.3, 144.0]]]}
    with pytest.raises(ValidationError) as exc:
        village.full_clean()
    assert "超出经纬度范围" in str(exc.value.message_dict["boundary"])


def test_tree_order_is_depth_first(grids):
    names = [g.level for g in Grid.objects.in_tree_order()]
    assert names[0] == GridLevel.CITY
    ordered = list(Grid.objects.select_related("parent").in_tree_order())
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.level == GridLevel.VILLAGE:  # a village follows its township or a sibling village
            assert before.pk == after.parent_id or before.parent_id == after.parent_id


def test_duties_default_to_the_plan_for_the_level(township, village):
    assert township.duty_list[0].startswith("组织开展日常监管及受理群众投诉举报")
    assert len(village.duty_list) == 4
    village.duties = "巡查本村\n\n报送信息"
    assert village.duty_list == ["巡查本村", "报送信息"]


# --- the grid map pages ---------------------------------------------------------------------------------

def test_grid_map_shows_every_township_village_and_person_with_tel_links(client, staffed_grids):
    response = client.get("/grid/")
    assert response.status_code == 200
    html = response.content.decode()
    for grid in Grid.objects.exclude(level=GridLevel.CITY):
        assert grid.name in html
        assert f'href="{grid.get_absolute_url()}"' in html
    for assignment in RoleAssignment.objects.current().select_related("person"):
        assert assignment.person.name in html
        assert f'href="tel:{assignment.person.phone}"' in html
    assert 'href="/complaints/new/"' in html
    assert "poster.pdf" in html


def test_village_page_has_its_coordinator_with_a_tel_link_and_its_producers(client, staffed_grids, village):
    coordinator = RoleAssignment.objects.current().get(grid=village, role=Role.COORDINATOR).person
    producer = ProducerFactory(village=village, name="示例长丰蔬菜专业合作社")
    hidden = ProducerFactory(village=village, name="示例未公开合作社", published=False)
    response = client.get(village.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert coordinator.name in html and f'href="tel:{coordinator.phone}"' in html
    assert f'href="/p/{producer.code}/"' in html and hidden.name not in html
    assert f'href="/producers/?village={village.code}"' in html
    assert 'href="/complaints/new/"' in html
    # The township's people are on the village page too, with the duties of the village level.
    supervisor = RoleAssignment.objects.current().get(grid=village.parent, role=Role.SUPERVISOR).person
    assert supervisor.name in html
    assert village.duty_list[0] in html


def test_township_page_lists_its_villages_people_and_a_link_to_its_producers(client, staffed_grids, township):
    html = client.get("/grid/sangong/").content.decode()
    for v in township.children.all():
        assert v.name in html
        coordinator = RoleAssignment.objects.current().get(grid=v).person
        assert f'href="tel:{coordinator.phone}"' in html
    assert 'href="/producers/?township=sangong"' in html
    assert "乡镇监管站检测员" in html


def test_unpublished_phone_shows_the_hotline_instead(client, staffed_grids, village):
    coordinator = RoleAssignment.objects.current().get(grid=village).person
    coordinator.phone = "13912345678"
    coordinator.phone_public = False
    coordinator.save()
    html = client.get(village.get_absolute_url()).content.decode()
    assert coordinator.name in html
    assert "13912345678" not in html
    assert 'href="tel:0994-12316"' in html


def test_upper_case_paths_answer_the_same_page_without_a_redirect(client, staffed_grids, village):
    lower = client.get("/grid/sangong/changfeng/")
    upper = client.get("/GRID/SANGONG/CHANGFENG/")
    assert upper.status_code == 200
    def main(response):
        return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]

    assert main(upper) == main(lower)
    assert client.get("/Grid/SanGong/").status_code == 200
    assert '<link rel="canonical" href="https://nc.example.cn/grid/sangong/changfeng/">' in upper.content.decode()


def test_unknown_grid_gets_a_404_with_a_way_back(client, staffed_grids):
    for path in ("/grid/nowhere/", "/grid/sangong/nowhere/", "/grid/changfeng/sangong/"):
        response = client.get(path)
        assert response.status_code == 404
        assert 'href="/grid/"' in response.content.decode()


def test_missing_coordinator_is_said_in_words(client, grids, village):
    html = client.get(village.get_absolute_url()).content.decode()
    assert "村级协管员正在调整" in html


def test_pages_carry_etag_and_public_cache_control_and_answer_304(client, staffed_grids, village):
    first = client.get("/grid/")
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    again = client.get("/grid/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    # A change of holder changes the page, and so its ETag.
    role_assign(person=PersonFactory(name="示例新协管员"), grid=village, role=Role.COORDINATOR,
                start_date=datetime.date.today())
    changed = client.get("/grid/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "示例新协管员" in changed.content.decode()


def _grow(extra_villages: int, extra_people: int, producers: int):
    """Add villages, second coordinators and producers so that the data is several times bigger."""
    township = Grid.objects.townships().in_order().first()
    for n in range(extra_villages):
        Grid(level=GridLevel.VILLAGE, code=f"6523011001{n:02d}",
             name=f"示例新村{n}", slug=f"xincun{n}", parent=township).save()
    villages = list(Grid.objects.villages())
    for n in range(extra_people):
        role_assign(person=PersonFactory(), grid=villages[n % len(villages)], role=Role.COORDINATOR,
                    start_date=datetime.date(2024, 2, 1), replace=False)
    for n in range(producers):
        ProducerFactory(village=villages[n % len(villages)])


PAGES = ["/grid/", "/grid/sangong/", "/grid/sangong/changfeng/", "/grid/liuhuanggou/", "/personnel/"]


def _count_queries(client, path) -> int:
    """Queries of a page drawn afresh (the first view makes image renditions; the HTML cache is cleared)."""
    from django.core.cache import cache

    client.get(path)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_grid_pages_run_a_fixed_number_of_queries_whatever_the_data_size(client, staffed_grids):
    small = {path: _count_queries(client, path) for path in PAGES}
    _grow(extra_villages=12, extra_people=60, producers=120)
    large = {path: _count_queries(client, path) for path in PAGES}
    assert large == small
    for path, n in small.items():
        # Drawn from an empty cache: eight reads of data at most, the site stamp (worked out from every
        # site, its settings and its grid: four reads) and the page written to the database cache (five
        # queries a write) and three cache reads.
        assert n <= 23, (path, n)


def test_a_repeat_is_served_from_the_html_cache_until_the_data_changes(client, staffed_grids, village):
    first = client.get("/grid/sangong/changfeng/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/grid/sangong/changfeng/")
    assert again.content == first.content
    assert len(queries) <= 3  # the data's state, the site stamp and the page (two cache reads)
    role_assign(person=PersonFactory(name="示例缓存后新协管员"), grid=village, role=Role.COORDINATOR,
                start_date=datetime.date.today())
    assert "示例缓存后新协管员" in client.get("/grid/sangong/changfeng/").content.decode()


def test_fixed_queries_with_photos(client, staffed_grids):
    """Photos are loaded for all people at once (renditions prefetched), not one query per person."""
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    people = [a.person for a in RoleAssignment.objects.current().select_related("person")]
    one = RoleAssignment.objects.current().get(grid__slug="sangong", role=Role.SUPERVISOR).person
    one.photo = Image.objects.create(title="示例照片", file=get_test_image_file())
    one.save()
    few = _count_queries(client, "/grid/sangong/")
    for person in people:
        person.photo = Image.objects.create(title=f"示例照片{person.pk}", file=get_test_image_file())
        person.save()
    assert _count_queries(client, "/grid/sangong/") == few
    html = client.get("/grid/sangong/").content.decode()
    assert len(re.findall(r'<img src="[^"]+"[^>]*的照片', html)) >= 9  # 2 township people + 7 coordinators


def test_geographic_view_is_drawn_from_boundaries_without_outside_services(client, staffed_grids):
    for n, township in enumerate(Grid.objects.townships().in_order()):
        township.boundary = square(87.0 + 0.06 * (n % 5), 44.0 + 0.06 * (n // 5))
        township.save()
    html = client.get("/grid/").content.decode()
    assert '<svg viewBox="0 0 1000' in html
    assert html.count('class="geo-area') == 10
    assert 'href="/grid/sangong/"><path' in html
    assert "http://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org", "")


def test_geo_projection_keeps_shapes_inside_the_view_box():
    drawn = geo.svg_shapes([("a", square(87.0, 44.0)), ("b", square(87.1, 44.1, 0.1))], width=500)
    assert drawn["width"] == 500
    for shape in drawn["shapes"]:
        numbers = [float(x) for x in re.findall(r"[\d.]+", shape["d"])]
        assert all(0 <= x <= max(drawn["width"], drawn["height"]) for x in numbers)
        assert 0 < shape["x"] < drawn["width"] and 0 < shape["y"] < drawn["height"]
    assert geo.svg_shapes([("a", None)]) is None


def test_grid_map_load_links_parents_and_children_in_three_queries(staffed_grids):
    with CaptureQueriesContext(connection) as queries:
        gmap = grid_map_load()
        names = [n.grid.name for n in gmap.root.walk()]
        people = gmap.people()
        urls = [n.grid.get_absolute_url() for n in gmap.root.walk()]
    assert len(queries) == 3
    assert len(names) == 68 and len(people) == 1 + 20 + 57
    assert "/grid/sangong/changfeng/" in urls
    assert gmap.township("SANGONG").grid.slug == "sangong"
    assert gmap.village("sangong", "ChangFeng").grid.name == "长丰村"


def test_a_position_named_like_the_role_is_not_said_twice(client, staffed_grids, township):
    supervisor = RoleAssignment.objects.current().get(grid=township, role="supervisor").person
    supervisor.position = "网格监管员"
    supervisor.save()
    html = client.get("/grid/sangong/").content.decode()
    assert supervisor.name in html and "网格监管员 · 网格监管员" not in html
