"""Drawing registered signs (公示牌) as PDF, one page per sign, from the facts each sign printed.

A township's batch is drawn in chunks: each chunk is one WeasyPrint document (the stylesheet parsed and
the styles computed once for its signs) written to a file, the chunks share one font configuration, and
the memory of a chunk is handed back before the next; the files are then joined by qpdf (pikepdf), which
reads them from disk. A batch of any size thus runs in about the memory of one chunk.
"""

import io
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from portal.pdf import file_uri, html_document, memory_release, static_file, static_text
from portal.qr import absolute_url, qr_png_data_uri, qr_url

from ..models import ProducerKind, Signboard, Substance
from ..models.ratings import GRADE_DATE_LABEL, GRADE_LETTER, GRADE_MEANING, GRADE_SHORT, Grade
from .signboards import PAPERS, PRINT_AVATAR, PRINT_LICENCE, PRINT_PHOTO, hotline_number, rendition_for

SIGN_TEMPLATE = "print/signboard.html"
SHEET_TEMPLATE = "print/signboard_sheet.html"
# Bump when the printed layout changes, so cached PDFs are drawn again.
SIGN_LAYOUT_VERSION = "6"
# Signs drawn as one document. WeasyPrint keeps every laid-out page of a document in memory (about
# 12 MB a sign); ten keep a batch's worker near 300 MB while sharing most of the per-document work.
CHUNK = 10


def _print_images(signs: list[Signboard]) -> dict[tuple[int, str], str]:
    """URIs (portal.pdf.file_uri) of the print renditions of every image the signs show, loaded in two queries."""
    from wagtail.images import get_image_model

    wanted: dict[int, str] = {}
    for sign in signs:
        facts = sign.printed_facts
        if facts.get("photo"):
            wanted[facts["photo"]] = PRINT_PHOTO
        if facts.get("licence_image"):
            wanted[facts["licence_image"]] = PRINT_LICENCE
        for role in ("coordinator", "supervisor", "inspector"):
            if (facts.get(role) or {}).get("photo"):
                wanted.setdefault(facts[role]["photo"], PRINT_AVATAR)
    if not wanted:
        return {}
    images = get_image_model().objects.filter(pk__in=wanted).prefetch_renditions(*set(wanted.values()))
    uris = {}
    for image in images:
        try:
            rendition = rendition_for(image, wanted[image.pk])
            uris[(image.pk, wanted[image.pk])] = file_uri(rendition.file)
        except (OSError, ValueError, NotImplementedError):
            continue  # a missing or unreadable file prints as an empty photo frame, not an error
    return uris


def substances_summary() -> dict:
    """Names of banned and restricted substances for the sign's short list (the full list is online)."""
    names: dict[str, list[str]] = {"pesticide_banned": [], "pesticide_restricted": [], "vet_banned": []}
    rows = Substance.objects.current().values_list("name_zh", "category", "status")
    for full_name, category, status in rows:
        # The sign has room for names only: the examples in brackets or after a colon, and "及其盐、酯",
        # are on the online list.
        name = re.split(r"[（(：:]", full_name, maxsplit=1)[0].strip() or full_name
        name = re.sub(r"及其(盐、酯|盐|酯)$", "", name) or name
        if category == "pesticide" and status == "banned":
            names["pesticide_banned"].append(name)
        elif category == "pesticide" and status == "restricted":
            names["pesticide_restricted"].append(name)
        elif category in ("veterinary_drug", "feed_additive", "other") and status == "banned":
            names["vet_banned"].append(name)
    return names


def print_assets() -> dict:
    """The sign's stylesheet (inlined: hashed static names do not resolve to files) and the logo."""
    logo = static_file("img/logo.svg")
    return {"stylesheet": static_text("css/print-signboard.css"), "logo_uri": logo.as_uri() if logo else ""}


def signboard_context(*, sign: Signboard, paper: str, images: dict, substances: dict,
                      assets: dict | None = None, hotline: str = "") -> dict:
    """What the print template needs to draw one sign, from the sign's printed facts alone."""
    facts = sign.printed_facts
    code = facts["code"]
    page_path = f"/p/{code}/"

    def person(role_key: str, spec: str = PRINT_AVATAR):
        data = facts.get(role_key)
        if not data:
            return None
        return {**data, "photo_uri": images.get((data.get("photo"), spec)) if data.get("photo") else None}

    grade = facts.get("grade") or Grade.UNRATED
    return {
        "sign": sign,
        "paper": paper,
        "facts": facts,
        "kinds": [{"value": value, "label": label, "marked": value == facts["kind"]}
                  for value, label in ProducerKind.choices],
        "grade": grade,
        "grade_letter": GRADE_LETTER.get(grade, ""),
        "grade_short": GRADE_SHORT.get(grade, ""),
        "grade_meaning": GRADE_MEANING.get(grade, ""),
        "grade_date_label": GRADE_DATE_LABEL.get(grade),
        "grade_legend": [("A", GRADE_SHORT[Grade.A]), ("B", GRADE_SHORT[Grade.B]), ("C", GRADE_SHORT[Grade.C])],
        "photo_uri": images.get((facts.get("photo"), PRINT_PHOTO)),
        "licence_uri": images.get((facts.get("licence_image"), PRINT_LICENCE)),
        "people": [(_("村级协管员"), person("coordinator") or {}), (_("乡镇监管员"), person("supervisor") or {}),
                   (_("单位内检员"), person("inspector") or {})],
        "hotline": hotline,
        **(assets or print_assets()),
        # A bitmap of the modules drawn without smoothing: as sharp as a vector at any size, and a
        # fraction of the drawing time and memory of an SVG path on every page of a batch.
        "qr_uri": qr_png_data_uri(qr_url(page_path, "" if sign.is_specimen else f"s={sign.serial}")),
        "specimen": sign.is_specimen,
        "page_url": absolute_url(page_path),
        "site_host": settings.PORTAL_BASE_URL.split("://", 1)[-1],
        "substances_url": absolute_url("/substances/"),
        "substances": substances,
    }


def signboards_html(*, signs: list[Signboard], paper: str, images: dict, substances: dict, assets: dict,
                    hotline: str) -> str:
    """One HTML document with a sheet (page) per sign."""
    sheets = [render_to_string(SHEET_TEMPLATE, signboard_context(sign=sign, paper=paper, images=images,
                                                                  substances=substances, assets=assets,
                                                                  hotline=hotline))
              for sign in signs]
    title = ""
    if len(signs) == 1:
        sign = signs[0]
        title = f"{sign.printed_facts['name']} · " + (_("样张") if sign.is_specimen else f"No.{sign.serial_display}")
    return render_to_string(SIGN_TEMPLATE, {"sheets": sheets, "paper": paper, "title": title,
                                            "stylesheet": assets["stylesheet"]})


def signboards_pdf_write(*, signs: list[Signboard], out: BinaryIO, paper: str = "A3",
                         progress: Callable[[int, int, Signboard], None] | None = None) -> None:
    """Write one PDF with a page per sign to `out`, drawn from the signs' printed facts; progress after
    every chunk."""
    from weasyprint.text.fonts import FontConfiguration

    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {PAPERS}")
    if not signs:
        raise ValueError("no signs to render")
    images = _print_images(signs)
    substances = substances_summary()
    assets = print_assets()
    hotline = hotline_number()
    fonts = FontConfiguration()
    with tempfile.TemporaryDirectory(prefix="signboards-") as folder:
        paths = []
        for start in range(0, len(signs), CHUNK):
            part = signs[start:start + CHUNK]
            html = signboards_html(signs=part, paper=paper, images=images, substances=substances,
                                   assets=assets, hotline=hotline)
            path = Path(folder) / f"{start:06d}.pdf"
            # A fresh image cache per chunk: photos are rarely shared beyond a village's signs.
            html_document(html).write_pdf(path, font_config=fonts, cache={})
            paths.append(path)
            del html
            memory_release()
            if progress:
                progress(start + len(part), len(signs), part[-1])
        del fonts
        memory_release()
        _join(paths, out)


def _join(paths: list[Path], out: BinaryIO) -> None:
    if len(paths) == 1:
        with paths[0].open("rb") as source:
            shutil.copyfileobj(source, out)
        return
    import pikepdf

    sources = [pikepdf.Pdf.open(path) for path in paths]
    try:
        with pikepdf.Pdf.new() as joined:
            for source in sources:
                joined.pages.extend(source.pages)
            joined.save(out)
    finally:
        for source in sources:
            source.close()


def signboards_pdf(*, signs: list[Signboard], paper: str = "A3",
                   progress: Callable[[int, int, Signboard], None] | None = None) -> bytes:
    """The PDF of signboards_pdf_write as bytes (a single sign, a small batch)."""
    out = io.BytesIO()
    signboards_pdf_write(signs=signs, out=out, paper=paper, progress=progress)
    return out.getvalue()


def signboard_version(sign: Signboard, paper: str) -> str:
    """A fingerprint of everything a rendered sign depends on, for the PDF cache."""
    from portal.http import fingerprint

    substances = Substance.objects.aggregate(n=Max("id"), t=Max("updated_at"))
    return fingerprint(sign.serial, sign.issued_on, sign.printed_facts, paper, SIGN_LAYOUT_VERSION,
                       substances, settings.PORTAL_BASE_URL, hotline_number())
