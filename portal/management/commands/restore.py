from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Replace the database, public media and private files with those of a backup archive. "
            "Stop the application first; everything changed since the backup is lost.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a portal-*.tar.gz written by `manage.py backup`")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"no such archive: {archive}")
        if options["interactive"]:
            answer = input(f"Replace the database and all files with {archive.name}? Type 'yes': ")
            if answer != "yes":
                raise CommandError("restore cancelled")
        try:
            manifest = backup_restore(archive=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored the backup of {manifest['created']}")
