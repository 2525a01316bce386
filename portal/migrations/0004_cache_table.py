"""The database cache's table (CACHES "portal_cache"), so that `migrate` alone gives a working site.

It runs `createcachetable`, which creates the table of every database-cache backend configured and skips
those that exist; with Redis (CACHE_URL) there is nothing to create.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_holidays_2025_2026")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
