"""Each complaint's county, from its grid's path (a county's complaints are those whose grid lies under it)."""

from django.db import migrations


def counties_fill(apps, schema_editor):
    Grid = apps.get_model("disclosure", "Grid")
    Complaint = apps.get_model("complaints", "Complaint")
    for county in Grid.objects.filter(level="city").only("pk", "path"):
        Complaint.objects.filter(grid__path__startswith=county.path).exclude(county_id=county.pk).update(
            county_id=county.pk)


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0007_complaint_county"),
    ]

    operations = [
        migrations.RunPython(counties_fill, migrations.RunPython.noop),
    ]
