"""The county column's indexes, made after 0008 filled it (updating millions of rows is quicker without them)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0008_complaint_county_fill"),
    ]

    operations = [
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['county', 'township', 'state'], include=['closed_on_time', 'rating'],
                               name='complaint_county_twp_state'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['county', 'due_on'], name='complaint_county_due_on'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['county', 'submitted_at'], name='complaint_county_submitted'),
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['county', 'closed_at'], name='complaint_county_closed_at'),
        ),
    ]
