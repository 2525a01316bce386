from django.core.management.base import BaseCommand

from staff.demo_region import load_region_demo


class Command(BaseCommand):
    help = ("两县演示数据（可重复运行）：昌吉市（默认站点）、阜康市（fukang.<域名>）及昌吉州（changjizhou.<域名>）。"
            "Load the two-county demo (idempotent): 昌吉市 at the default site, 阜康市 at fukang.<suffix> and their "
            "prefecture at changjizhou.<suffix>.")

    def add_arguments(self, parser):
        parser.add_argument("--suffix", default="localhost", help="host name suffix / 域名后缀 (default: localhost)")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, suffix, port, **options):
        counts = load_region_demo(suffix=suffix, port=port)
        self.stdout.write(self.style.SUCCESS("Two-county demo ready: " + ", ".join(f"{k} +{v}" for k, v in counts.items())))
        for place, host in (("昌吉市", "localhost"), ("阜康市", f"fukang.{suffix}"), ("昌吉州", f"changjizhou.{suffix}")):
            self.stdout.write(f"  {place}: http://{host}:{port}/")
