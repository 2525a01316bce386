"""Spreadsheets that staff upload (the roster, the producer registry): reading them as a table of text, and
keeping an upload between its preview and the confirmation that applies it.

Both imports follow the same rule — upload, see every row with its errors, then apply all rows or none —
so the parts that do not depend on what the rows mean live here.
"""

import csv
import datetime
import hashlib
import io
import uuid

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from .storage import PrivateStorage

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # Excel and WPS on Chinese Windows save CSV as GBK (GB 18030 covers it)
STASH_MAX_AGE = 3600  # seconds between the preview and the confirmation


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message says why, in words staff can act on."""


def cell_text(value) -> str:
    """A cell as the text a person typed: dates as YYYY-MM-DD, whole numbers without ".0" (a phone number
    typed into a spreadsheet becomes a number), line breaks normalised, surrounding space removed."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def read_table(content: bytes, filename: str, *, max_bytes: int, max_rows: int, too_large: str) -> list[list[str]]:
    """The first sheet of an .xlsx file, or a .csv file in UTF-8 or GBK, as rows of text; raises
    SpreadsheetError. Blank rows between filled ones stay (as []) so row numbers match what staff see; blank
    rows at the end are dropped (sheets formatted down to row 1,048,576 are common). Reading stops after
    `max_rows` + 1 filled rows, so a caller that finds more than `max_rows` reports the file as too long."""
    if len(content) > max_bytes:
        raise SpreadsheetError(too_large)
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        from zipfile import BadZipFile

        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (BadZipFile, KeyError, ValueError, OSError) as exc:
            raise SpreadsheetError(_("无法读取该 XLSX 文件，请用 Excel 或 WPS 重新另存为 .xlsx 后上传。")) from exc
        try:
            return _filled_rows(book.worksheets[0].iter_rows(values_only=True), max_rows)
        finally:
            book.close()
    if name.endswith(".csv"):
        for encoding in CSV_ENCODINGS:
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise SpreadsheetError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码的 CSV。"))
        return _filled_rows(csv.reader(io.StringIO(text)), max_rows)
    raise SpreadsheetError(_("只能导入 .xlsx 或 .csv 文件。"))


def _filled_rows(raw_rows, max_rows: int) -> list[list[str]]:
    rows: list[list[str]] = []
    blanks = filled = 0
    for raw in raw_rows:
        row = [cell_text(v) for v in raw]
        if not any(row):
            blanks += 1
            continue
        rows.extend([] for _blank in range(blanks))
        rows.append(row)
        blanks = 0
        filled += 1
        if filled > max_rows:
            break
    return rows


# --- between the preview and the confirmation ------------------------------------------------------------

_stash_storage = PrivateStorage()


def _stash_name(folder: str, name: str) -> str:
    return f"{folder}/{name}"


def upload_stash(*, content: bytes, filename: str, folder: str, salt: str, user, extra: dict | None = None) -> str:
    """Keep an uploaded file privately until it is confirmed; returns a signed token naming it, its hash,
    the user who uploaded it and `extra` (for example the date the changes take effect). The file is in
    private storage, so the confirmation may reach another application server than the preview did."""
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    stored = _stash_storage.save(_stash_name(folder, f"{uuid.uuid4().hex}{suffix}"), ContentFile(content))
    return signing.dumps({"f": stored.rsplit("/", 1)[-1], "sha": hashlib.sha256(content).hexdigest(),
                          "u": user.pk, "n": filename, **(extra or {})}, salt=salt)


def upload_unstash(*, token: str, folder: str, salt: str, user) -> tuple[bytes, dict] | None:
    """The stashed file and the token's data, or None when the token is expired, forged or another user's,
    or the file is gone. A file changed on disk since the preview is refused outright."""
    try:
        data = signing.loads(token, salt=salt, max_age=STASH_MAX_AGE)
    except signing.BadSignature:
        return None
    name = _stash_name(folder, data["f"])
    if data.get("u") != user.pk or not _stash_storage.exists(name):
        return None
    with _stash_storage.open(name, "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != data["sha"]:
        raise PermissionDenied
    return content, data


def upload_discard(*, data: dict, folder: str) -> None:
    """Delete a stashed file once it has been applied (data: what upload_unstash returned with it)."""
    _stash_storage.delete(_stash_name(folder, data["f"]))
