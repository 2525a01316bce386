from django.core.management.base import BaseCommand

from staff.roles import staff_roles_setup


class Command(BaseCommand):
    help = ("Create the staff groups (city_supervisor, township_supervisor, village_coordinator) with their "
            "permissions. Additive and idempotent: run after deploying; link each account to its grid person.")

    def handle(self, *args, **options):
        groups = staff_roles_setup()
        for group in groups:
            self.stdout.write(f"{group.name}: {group.permissions.count()} permissions")
