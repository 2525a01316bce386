"""Printed documents of an inspection (WeasyPrint through portal.pdf): the on-site record (现场检查记录, A4,
signed on the spot by the inspectors and the producer's representative) and a sample's label (70 × 40 mm:
the number in large type, a QR code and a Code 128 barcode of the number)."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.translation import get_language

from casework.models import Rectification
from portal.barcode import code128_data_uri
from portal.pdf import render_pdf
from portal.qr import absolute_url, qr_data_uri, qr_url

from .models import Inspection, Item, Result, Sample

STYLESHEET = "css/print-inspections.css"


def _stylesheet() -> str:
    """Inlined, as the signboard's is: hashed static names do not resolve to files in production."""
    path = finders.find(STYLESHEET)
    return open(path, encoding="utf-8").read() if path else ""


def _colon() -> str:
    return ": " if (get_language() or "").startswith("en") else "："


def record_context(inspection: Inspection) -> dict:
    producer = inspection.producer
    items = {i.item: i for i in inspection.items.all()}
    rows = [{"number": item.value, "label": item.label, "result": items[item.value].result if item.value in items
             else "", "note": items[item.value].note if item.value in items else ""} for item in Item]
    orders = list(Rectification.objects.filter(source_type=ContentType.objects.get_for_model(Inspection),
                                               source_id=inspection.pk).order_by("id"))
    page = f"/p/{producer.code}/" if producer.code else None
    return {
        "stylesheet": _stylesheet(), "inspection": inspection, "producer": producer, "rows": rows,
        "results": [(r.value, r.label) for r in Result], "samples": list(inspection.samples.order_by("id")),
        "orders": orders, "qr_uri": qr_data_uri(qr_url(page)) if page and producer.published else "",
        "page_url": absolute_url(page) if page else "", "printed_at": timezone.localtime(), "COLON": _colon(),
    }


def record_pdf(inspection: Inspection) -> bytes:
    return render_pdf("print/inspection_record.html", record_context(inspection))


def label_context(sample: Sample) -> dict:
    return {"stylesheet": _stylesheet(), "sample": sample, "qr_uri": qr_data_uri(sample.number),
            "barcode_uri": code128_data_uri(sample.number), "taken_at": timezone.localtime(sample.taken_at),
            "COLON": _colon()}


def label_pdf(sample: Sample) -> bytes:
    return render_pdf("print/sample_label.html", label_context(sample))
