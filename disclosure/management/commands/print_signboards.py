"""Print every signboard of a township as one PDF: `manage.py print_signboards --township sangong`."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from disclosure.models import Grid
from disclosure.services.signboard_render import signboards_pdf_write
from disclosure.services.signboards import PAPERS, signboards_for_grid


class ProgressBar:
    """A one-line text progress bar on stderr (redrawn in place on a terminal, one line per step otherwise)."""

    def __init__(self, stream, label: str, width: int = 30):
        self.stream, self.label, self.width = stream, label, width
        self.tty = stream.isatty()
        self.started = time.monotonic()

    def __call__(self, done: int, total: int, item=None) -> None:
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "-" * (self.width - filled)
        name = str(getattr(item, "producer", item) or "")[:24]
        line = f"{self.label} [{bar}] {done}/{total} {time.monotonic() - self.started:5.1f}s {name}"
        if self.tty:
            self.stream.write("\r" + line.ljust(100))
            if done == total:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Register and render the signboards of all published producers of a township into one PDF."

    def add_arguments(self, parser):
        parser.add_argument("--township", required=True, help="the township grid's slug, e.g. sangong")
        parser.add_argument("--paper", default="A3", choices=PAPERS)
        parser.add_argument("--output", "-o", help="where to write the PDF (default: signboards-<slug>-<date>.pdf)")
        parser.add_argument("--renumber", action="store_true",
                            help="register a new sign for every producer, even where nothing changed")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, township, paper, output, renumber, no_progress, **options):
        grid = Grid.objects.townships().filter(slug=township).first()
        if grid is None:
            known = ", ".join(Grid.objects.townships().in_order().values_list("slug", flat=True))
            raise CommandError(f"no township with slug {township!r}; known: {known}")
        stream = sys.stderr if not no_progress else None
        register = ProgressBar(stream, "登记") if stream else None
        signs = signboards_for_grid(grid=grid, paper=paper, force=renumber, progress=register)
        if not signs:
            raise CommandError(f"{grid.name} has no published producers")
        render = ProgressBar(stream, "排版") if stream else None
        target = Path(output or f"signboards-{grid.slug}-{timezone.localdate():%Y%m%d}-{paper}.pdf")
        with target.open("wb") as out:
            signboards_pdf_write(signs=signs, out=out, paper=paper, progress=render)
        serials = f"No.{signs[0].serial_display}…" if len(signs) > 1 else f"No.{signs[0].serial_display}"
        self.stdout.write(self.style.SUCCESS(
            f"{grid.name}: {len(signs)} signboards ({serials}), {target.stat().st_size // 1024} KB → {target}"))
