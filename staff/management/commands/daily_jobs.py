from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from complaints.reminders import deadline_reminders_send
from complaints.services import staged_uploads_purge
from complaints.services.retention import personal_data_erase
from gridwork.services.rollups import figures_refresh_all
from portal.backup import backup_create
from portal.jobs import jobs_prune, tasks_prune


class Command(BaseCommand):
    help = ("The daily jobs (run from a systemd timer or cron, docs/deploy.md): back up, purge photos of forms "
            "never submitted, erase reporters' data past retention, drop expired sessions, and on working days "
            "e-mail staff the complaints whose deadline is near or past; delete finished background jobs past "
            "their retention; count each county's figures for the prefecture's and region's pages.")

    def add_arguments(self, parser):
        parser.add_argument("--no-backup", action="store_true", help="skip the backup (taken elsewhere)")
        parser.add_argument("--backup-dir", default=str(settings.BACKUP_DIR))

    def handle(self, *args, **options):
        # The backup comes first, so the day's erasures can still be undone from it if one was wrong.
        if not options["no_backup"]:
            archive = backup_create(directory=Path(options["backup_dir"]), keep=settings.BACKUP_KEEP)
            self.stdout.write(f"backup: {archive.name}")
        self.stdout.write(f"staged photos purged: {staged_uploads_purge()}")
        self.stdout.write(f"personal data erased: {personal_data_erase()} complaint(s)")
        self.stdout.write(f"deadline reminders sent: {deadline_reminders_send()}")
        self.stdout.write(f"background jobs pruned: {jobs_prune(days=settings.PORTAL_JOB_RETENTION_DAYS)}")
        tasks_prune(days=settings.PORTAL_JOB_RETENTION_DAYS)
        call_command("clearsessions")
        self.stdout.write("expired sessions cleared")
        # The counties' summary rows are kept current as records change; once a day all of them are counted
        # again (bulk loads send no signals; last year's rows stop following in the new year).
        today = timezone.localdate()
        counted = figures_refresh_all(year=today.year)
        if today.month == 1:
            figures_refresh_all(year=today.year - 1)
        self.stdout.write(f"county figures counted: {counted}")
