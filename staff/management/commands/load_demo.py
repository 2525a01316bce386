from django.core.management.base import BaseCommand

from staff.demo import load_all
from staff.demo_badges import demo_badge_codes


class Command(BaseCommand):
    help = "Load the demo data (idempotent): 昌吉市's grids, fictional people and producers, news, staff accounts."

    def add_arguments(self, parser):
        parser.add_argument("--producers", type=int, default=300)

    def handle(self, *args, producers, **options):
        counts = load_all(producers=producers)
        self.stdout.write(self.style.SUCCESS(
            "Demo data ready: " + ", ".join(f"{k} +{v}" for k, v in counts.items())))
        codes = demo_badge_codes()
        if codes:
            self.stdout.write("Staff badges to check: " + ", ".join(f"{state} /b/{code}/" for state, code in codes.items()))
