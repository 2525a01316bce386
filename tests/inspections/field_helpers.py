"""Helpers for the phone app's tests: a planned visit this month, a record as the phone sends it, a photo."""

import datetime
import io
import json
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def visit_this_month(producer, assignee, by):
    """A visit on this year's plan, this month, assigned to `assignee` (added by `by`, a township user)."""
    from inspections.models import InspectionPlan
    from inspections.services.plans import visit_add

    today = datetime.date.today()
    plan, _created = InspectionPlan.objects.get_or_create(township=producer.village.parent, year=today.year)
    return visit_add(plan=plan, producer=producer, month=today.month, user=by, assignee=assignee)


def phone_record(producer, *, visit=None, **overrides) -> dict:
    """The JSON payload the phone posts for one inspection, all seven items 符合."""
    payload = {
        "client_key": str(uuid.uuid4()), "kind": "inspection", "producer": producer.pk,
        "visit": visit.pk if visit else None, "expected_assignee": visit.assignee_id if visit else None,
        "producer_seen_at": producer.updated_at.isoformat(),
        "inspected_on": datetime.date.today().isoformat(),
        "results": {str(i): {"result": "pass", "note": ""} for i in range(1, 8)},
        "representative": "王示例", "inspector_names": "", "other_findings": "",
    }
    payload.update(overrides)
    return payload


def jpeg(name="IMG_0001.jpg", size=(800, 600)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 140, 60)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def post_record(client, payload, photos=()):
    return client.post("/field/sync/", {"payload": json.dumps(payload), "photos": list(photos)})
