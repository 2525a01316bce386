from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = ("Back up the database, public media and private files (complaint photos) into one archive in "
            "BACKUP_DIR, keeping the newest BACKUP_KEEP archives (docs/deploy.md).")

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.BACKUP_DIR), help="where archives are kept")
        parser.add_argument("--keep", type=int, default=settings.BACKUP_KEEP,
                            help="how many archives to keep (0: keep all)")

    def handle(self, *args, **options):
        try:
            archive = backup_create(directory=Path(options["dir"]), keep=options["keep"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written: {archive} ({archive.stat().st_size} bytes)")
