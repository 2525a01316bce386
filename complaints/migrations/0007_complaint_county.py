"""A complaint keeps its county (filled in by 0008, indexed by 0009), so that a county's staff see theirs by an
index."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0006_open311_example_without_place'),
        ('disclosure', '0013_overseer_role'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='complaint',
            name='county',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='disclosure.grid', verbose_name='办理县（市）'),
        ),
    ]
