"""The member search's indexes (``members.search``): a code, a phone and a national ID's last
four digits, for every province at once; on PostgreSQL also a trigram index on the search key,
so that a name found anywhere in the key ("dung" in "nguyen thi dung") is an index scan at a
million members. The trigram index needs the ``pg_trgm`` extension (a trusted extension: the
database's owner may create it); where the server lacks it the search works the same, slower."""

import django.db.models.functions.text
from django.db import migrations, models, transaction

TRIGRAM_INDEX = "member_search_key_trgm"


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 (not allowed to create it: no trigram index)
            return
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON members_member "
            "USING gin (search_key gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("clubs", "0002_taken_code_message"),
        ("members", "0003_assign_member_codes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["code"], name="member_code"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["phone"], name="member_phone"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                django.db.models.functions.text.Right("national_id", 4),
                name="member_national_id_tail",
            ),
        ),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
