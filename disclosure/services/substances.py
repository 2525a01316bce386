"""Loading and keeping the banned and restricted substances list."""

import csv
import datetime
from pathlib import Path

from django.db import transaction

from ..models import Substance

SUBSTANCES_CSV = Path(__file__).resolve().parent.parent / "data" / "banned_substances.csv"


@transaction.atomic
def substances_load(*, path: Path = SUBSTANCES_CSV, overwrite: bool = False) -> int:
    """Load the list from the CSV of facts. Entries staff have already edited are kept unless overwrite."""
    created = 0
    with path.open(encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle), start=1):
            key = {"name_zh": row["name_zh"].strip(), "category": row["category"], "status": row["status"]}
            values = {
                "name_en": row["name_en"].strip(),
                "restricted_scope": row["restricted_scope_zh"].strip(),
                "legal_basis": row["legal_basis_zh"].strip(),
                "effective_date": datetime.date.fromisoformat(row["effective_date"]) if row["effective_date"] else None,
                "source": row["source"].strip(),
                "sort_order": order,
            }
            existing = Substance.objects.filter(**key).first()
            if existing is None:
                Substance.objects.create(**key, **values)
                created += 1
            elif overwrite:
                for field, value in values.items():
                    setattr(existing, field, value)
                existing.save()
    return created
