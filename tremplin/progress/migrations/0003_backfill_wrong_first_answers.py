"""``ModuleProgress.wrong_first_answers`` from the rows' ``answers``, in the database (no row goes through Python).

Batches of ``BATCH`` ids, each committed on its own (the migration is not atomic): on 1.5 million rows no single
transaction holds every row, and a run stopped halfway can be run again (it only writes what the answers say).
Only the rows whose answers hold a ``false`` are written; the others keep the column's default, 0."""

from django.db import migrations

BATCH = 100_000

TABLE = "progress_moduleprogress"

# The questions whose "first" is exactly JSON false, as ``models.wrong_first_count`` counts them.
SQL = {
    "postgresql": f"""
        UPDATE {TABLE} SET wrong_first_answers = (
            SELECT COUNT(*) FROM jsonb_each({TABLE}.answers) AS e
            WHERE e.value -> 'first' = 'false'::jsonb)
        WHERE id >= %s AND id < %s AND jsonb_typeof(answers) = 'object' AND answers::text LIKE '%%false%%'""",
    "sqlite": f"""
        UPDATE {TABLE} SET wrong_first_answers = (
            SELECT COUNT(*) FROM json_each({TABLE}.answers) AS e
            WHERE CASE WHEN e.type = 'object' THEN json_type(e.value, '$.first') END = 'false')
        WHERE id >= %s AND id < %s AND json_type(answers) = 'object' AND answers LIKE '%%false%%'""",
}


def backfill(apps, schema_editor):
    ModuleProgress = apps.get_model("progress", "ModuleProgress")
    connection = schema_editor.connection
    sql = SQL.get(connection.vendor)
    if sql is None:  # another database: through Python, batch by batch
        changed = []
        for row in ModuleProgress.objects.only("id", "answers").iterator(chunk_size=2000):
            row.wrong_first_answers = sum(1 for a in (row.answers or {}).values()
                                          if isinstance(a, dict) and a.get("first") is False)
            if row.wrong_first_answers:
                changed.append(row)
            if len(changed) >= 2000:
                ModuleProgress.objects.bulk_update(changed, ["wrong_first_answers"])
                changed = []
        ModuleProgress.objects.bulk_update(changed, ["wrong_first_answers"])
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {TABLE}")
        low, high = cursor.fetchone()
        if low is None:
            return
        for start in range(low, high + 1, BATCH):
            cursor.execute(sql, [start, start + BATCH])


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('progress', '0002_progress_wrong_first_answers'),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
