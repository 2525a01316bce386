"""Load grids from the region's place list: one county, a prefecture or the whole region."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from disclosure.services.places import places_load


class Command(BaseCommand):
    help = ("按区划代码载入网格（县（市）及其乡镇和村；或一个地州、整个自治区），可重复运行。"
            "Load grids by NBS code: a county with its townships and villages, a prefecture, or the whole region; "
            "safe to run again.")

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--county", help="县（市）的区划代码，例如 652302 / a county's NBS code")
        which.add_argument("--prefecture", help="地州的区划代码，例如 6523 / a prefecture's NBS code")
        which.add_argument("--region", help="自治区的区划代码：65 / the region's NBS code")

    def handle(self, *args, county=None, prefecture=None, region=None, **options):
        level, code = next((lvl, c) for lvl, c in (("county", county), ("prefecture", prefecture), ("region", region)) if c)
        try:
            count = places_load(code=code.strip(), level=level)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{count} 个网格 / grids"))
