"""Serve a county (or a prefecture, the region) at its own host name."""

from django.core.management.base import BaseCommand, CommandError

from disclosure.models import Grid
from disclosure.services.sites import grid_site_add


class Command(BaseCommand):
    help = ("为一个县（市）、地州或自治区开设站点：独立的域名、首页、新闻、投诉举报电话和办公信息。"
            "Serve a county (or a prefecture, the region) at its own host name, with its own home page, news, "
            "hotline and office; safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--grid", required=True, help="网格的区划代码，例如 652302 / the grid's NBS code")
        parser.add_argument("--hostname", required=True, help="域名，例如 fukang.example.cn / host name")
        parser.add_argument("--port", type=int, default=443)
        parser.add_argument("--hotline", default="", help="投诉举报电话 / complaint hotline")
        parser.add_argument("--org-name", default="", help="主管单位 / the office's name")

    def handle(self, *args, grid, hostname, port, hotline, org_name, **options):
        found = Grid.objects.filter(code=grid.strip()).first()
        if found is None:
            raise CommandError(f"没有区划代码为“{grid}”的网格，请先用 load_places 载入。/ No grid has the code {grid}: "
                               "load it with load_places first.")
        site = grid_site_add(grid=found, hostname=hostname.strip().lower(), port=port, hotline=hotline,
                             org_name=org_name)
        self.stdout.write(self.style.SUCCESS(f"{found.name}: {site.root_url}/"))
