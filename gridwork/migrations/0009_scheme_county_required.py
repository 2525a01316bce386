"""A scheme always belongs to a county (filled in by 0008; apart so that PostgreSQL alters the table after
the rows were updated, not in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("gridwork", "0008_scheme_county"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assessmentscheme",
            name="county",
            field=models.ForeignKey(limit_choices_to={"level": "city"}, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="disclosure.grid", verbose_name="县（市）"),
        ),
        migrations.AddConstraint(
            model_name="assessmentscheme",
            constraint=models.UniqueConstraint(fields=("county", "year"), name="one_assessment_scheme_per_county_year"),
        ),
    ]
