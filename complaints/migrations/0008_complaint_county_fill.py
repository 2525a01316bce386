"""Each complaint's county: its township's parent, or its grid when that is a county grid (complaints left
at the 市级网格). Two set-based statements, whatever the number of complaints."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def counties_fill(apps, schema_editor):
    Grid = apps.get_model("disclosure", "Grid")
    Complaint = apps.get_model("complaints", "Complaint")
    Complaint.objects.filter(township__isnull=False).update(
        county_id=Subquery(Grid.objects.filter(pk=OuterRef("township_id")).values("parent_id")[:1]))
    Complaint.objects.filter(township__isnull=True, grid__level="city").update(county_id=F("grid_id"))


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0007_complaint_county"),
    ]

    operations = [
        migrations.RunPython(counties_fill, migrations.RunPython.noop),
    ]
