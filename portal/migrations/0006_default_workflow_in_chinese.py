"""Wagtail creates its default workflow and task as “Moderators approval”, a name staff read on every page
they submit; name them in Chinese (only while they still carry Wagtail's name)."""

from django.db import migrations

WAGTAIL_NAME = "Moderators approval"
CHINESE_NAME = "审核员审核"


def rename(apps, old: str, new: str):
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=old).update(name=new)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_background_jobs"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [
        migrations.RunPython(lambda apps, schema_editor: rename(apps, WAGTAIL_NAME, CHINESE_NAME),
                             lambda apps, schema_editor: rename(apps, CHINESE_NAME, WAGTAIL_NAME)),
    ]
