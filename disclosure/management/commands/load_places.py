"""Load a county's grids (the county, its townships and villages) from the region's place list."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from disclosure.services.places import county_load


class Command(BaseCommand):
    help = ("按区划代码载入一个县（市）的网格：县（市）、各乡镇和村，可重复运行。"
            "Load a county's grids (county, townships, villages) by its NBS code; safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="县（市）的区划代码，例如 652302 / the county's NBS code")

    def handle(self, *args, county=None, **options):
        try:
            count = county_load(code=county.strip())
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{count} 个网格 / grids"))
