"""News editing on an installation that already has its staff groups and news index (staff/news.py).

A fresh installation gets it from `manage.py staff_roles`, which runs after the groups exist; this
migration gives it to one updated with `migrate` alone. It calls the live setup on purpose (Wagtail's
collections are a tree the historical models cannot grow) and does nothing while the groups or the news
index are missing, as on a fresh database.
"""

from django.db import migrations


def news_workflow_setup(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    NewsIndexPage = apps.get_model("portal", "NewsIndexPage")
    if not Group.objects.filter(name="city_supervisor").exists() or not NewsIndexPage.objects.exists():
        return
    from staff.news import news_roles_setup

    news_roles_setup()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("portal", "0004_cache_table"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(news_workflow_setup, migrations.RunPython.noop)]
