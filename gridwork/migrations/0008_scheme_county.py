"""Each county keeps its own assessment scheme: schemes made before get the county at the top of the tree
(a portal had one county then)."""

import django.db.models.deletion
from django.db import migrations, models


def schemes_to_county(apps, schema_editor):
    Grid = apps.get_model("disclosure", "Grid")
    AssessmentScheme = apps.get_model("gridwork", "AssessmentScheme")
    if not AssessmentScheme.objects.exists():
        return
    county = Grid.objects.filter(level="city").order_by("path", "pk").first()
    if county is None:  # no grid, so no township was ever scored: nothing to keep
        AssessmentScheme.objects.all().delete()
        return
    AssessmentScheme.objects.update(county=county)


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0013_overseer_role"),
        ("gridwork", "0007_county_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentscheme",
            name="county",
            field=models.ForeignKey(limit_choices_to={"level": "city"}, null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="disclosure.grid", verbose_name="县（市）"),
        ),
        migrations.AlterField(
            model_name="assessmentscheme",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="年度"),
        ),
        migrations.RunPython(schemes_to_county, migrations.RunPython.noop),
    ]
