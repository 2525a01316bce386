"""Load the banned and restricted substances list from the CSV of facts (disclosure/data/)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from disclosure.services.substances import SUBSTANCES_CSV, substances_import


class Command(BaseCommand):
    help = ("载入国家禁用、限用农药（兽药）名录。已有条目保持后台编辑后的内容；加 --overwrite 则恢复为文件中的内容"
            "（作为新的修订版本保存）。Load the banned/restricted substances list; --overwrite resets edited entries.")

    def add_arguments(self, parser):
        parser.add_argument("--overwrite", action="store_true",
                            help="用文件内容覆盖后台已修改的条目 / reset entries staff have edited to the file's facts")
        parser.add_argument("--path", default=str(SUBSTANCES_CSV),
                            help="CSV 文件路径（默认：项目自带的名录）/ CSV file (default: the list shipped with the project)")

    def handle(self, *args, overwrite=False, path=None, **options):
        path = Path(path)
        if not path.is_file():
            raise CommandError(f"找不到文件 / file not found: {path}")
        try:
            result = substances_import(path=path, overwrite=overwrite)
        except ValidationError as exc:
            raise CommandError("文件有误，未作任何修改 / nothing was changed:\n" + "\n".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"新增 {result.created} 条，覆盖 {result.updated} 条，无变化 {result.unchanged} 条"
            + (f"，保留后台修改 {result.kept} 条（用 --overwrite 覆盖）" if result.kept else "") + "。"))
