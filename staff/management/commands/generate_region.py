"""Generate region-size data for measuring (staff.generate): grids, people, producers, inspections and
complaints, by set-based SQL; then the counties' summary rows."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from staff.generate import database_contents, region_generate
from staff.generate.sql import postgres


class Command(BaseCommand):
    help = ("生成用于性能测量的全区规模数据（网格、人员、生产主体、巡查、投诉举报），只用于空数据库。"
            "Generate region-size data for measuring (grids, people, producers, inspections, complaints); "
            "meant for an empty database.")

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--region", help="自治区的区划代码（默认 65）/ the region's NBS code (default 65)")
        which.add_argument("--prefecture", help="只生成一个地州，例如 6505 / one prefecture only")
        which.add_argument("--county", help="只生成一个县（市），例如 652301 / one county only")
        parser.add_argument("--producers", type=int, default=500_000)
        parser.add_argument("--complaints", type=int, default=5_000_000)
        parser.add_argument("--inspections", type=int, default=10_000_000)
        parser.add_argument("--years", type=int, default=5, help="今年及之前几年 / this year and the years before")
        parser.add_argument("--samples-permille", type=int, default=100,
                            help="每千次巡查的抽样数 / samples per thousand inspections")
        parser.add_argument("--no-figures", action="store_true", help="不统计县（市）年度数据 / skip CountyFigures")
        parser.add_argument("--force", action="store_true",
                            help="数据库已有数据时仍然追加 / add to a database that already holds data")

    def handle(self, *args, region=None, prefecture=None, county=None, producers, complaints, inspections, years,
               samples_permille, no_figures, force, **options):
        level, code = next(((lvl, c) for lvl, c in (("prefecture", prefecture), ("county", county)) if c),
                           ("region", region or "65"))
        for name, value in (("producers", producers), ("complaints", complaints), ("inspections", inspections)):
            if value < 0:
                raise CommandError(f"--{name} 不能为负数。/ --{name} cannot be negative.")
        if not 1 <= years <= 30:
            raise CommandError("--years 应在 1 到 30 之间。/ --years must be from 1 to 30.")
        found = database_contents()
        if found and not force:
            listed = "、".join(f"{n:,} {what}" for what, n in found.items())
            raise CommandError(
                f"数据库不是空的（已有 {listed}），生成的数据会混入现有数据。请使用新建的空数据库；"
                f"确需追加时加 --force。\n"
                f"The database is not empty ({', '.join(f'{n:,} {w}' for w, n in found.items())}): generated rows "
                f"would mix with its data. Use a new, empty database, or pass --force to add to it anyway.")
        started = time.perf_counter()
        self.stdout.write(f"生成 / generating: {level} {code}, {producers:,} producers, {complaints:,} complaints, "
                          f"{inspections:,} inspections over {years} years "
                          f"({'PostgreSQL' if postgres() else 'SQLite'})")
        try:
            region_generate(code=code.strip(), level=level, producers=producers, complaints=complaints,
                            inspections=inspections, years=years, samples_permille=samples_permille,
                            figures=not no_figures, report=lambda line: self.stdout.write(line))
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"完成 / done in {time.perf_counter() - started:.1f} s"))
