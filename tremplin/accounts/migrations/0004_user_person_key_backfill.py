"""Every user's ``person_key`` computed by the running code's rule (``accounts.models.stored_person_key``), then
indexed. Batches of 2,000 users in pk order, each in its own transaction: a table of millions is never read at once
nor locked for the whole run, and running it again (after a failure) simply computes the keys again."""

from django.db import migrations, models, transaction

BATCH = 2000


def backfill(apps, schema_editor):
    from tremplin.accounts.models import stored_person_key

    User = apps.get_model("accounts", "User")
    alias = schema_editor.connection.alias
    conn = schema_editor.connection
    table, key, pk = (conn.ops.quote_name(n) for n in (User._meta.db_table, "person_key", "id"))
    sql = f"UPDATE {table} SET {key} = %s WHERE {pk} = %s"
    users = User._base_manager.using(alias).order_by("pk").only("pk", "first_name", "last_name", "birth_year")
    last = None
    while True:
        batch = list((users.filter(pk__gt=last) if last is not None else users)[:BATCH])
        if not batch:
            return
        rows = [(stored_person_key(u.first_name, u.last_name, u.birth_year),
                 User._meta.pk.get_db_prep_value(u.pk, conn)) for u in batch]
        with transaction.atomic(using=alias), conn.cursor() as cursor:
            cursor.executemany(sql, rows)
        last = batch[-1].pk


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('accounts', '0003_user_person_key'),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='user',
            index=models.Index(fields=['person_key'], name='accounts_user_person_key'),
        ),
    ]
