"""The approval task of a county's news (staff/models.py CountyApprovalTask, a proxy of Wagtail's group
approval task), and on an installation that already has its groups and news index, the news roles again
(staff/news.py): the news index of every county's site, and the task 市级审核 turned into the county kind in
place. Calls the live setup on purpose, as 0001 does; does nothing on a fresh database."""

from django.db import migrations


def news_counties_setup(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    NewsIndexPage = apps.get_model("portal", "NewsIndexPage")
    if not Group.objects.filter(name="city_supervisor").exists() or not NewsIndexPage.objects.exists():
        return
    from staff.news import news_roles_setup

    news_roles_setup()


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_news_workflow"),
        ("wagtailcore", "0098_apitoken"),
        ("disclosure", "0013_overseer_role"),
        ("portal", "0008_org_name_from_staff"),
    ]

    operations = [
        migrations.CreateModel(
            name="CountyApprovalTask",
            fields=[],
            options={
                "verbose_name": "本县（市）组审批任务",
                "verbose_name_plural": "本县（市）组审批任务",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("wagtailcore.groupapprovaltask",),
        ),
        migrations.RunPython(news_counties_setup, migrations.RunPython.noop),
    ]
