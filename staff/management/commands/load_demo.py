from django.core.management.base import BaseCommand

from staff.demo import load_all


class Command(BaseCommand):
    help = "Load the demo data (idempotent): 昌吉市's grids, fictional people and producers, news, staff accounts."

    def add_arguments(self, parser):
        parser.add_argument("--producers", type=int, default=300)

    def handle(self, *args, producers, **options):
        counts = load_all(producers=producers)
        self.stdout.write(self.style.SUCCESS(
            "Demo data ready: " + ", ".join(f"{k} +{v}" for k, v in counts.items())))
