"""FirstActivity and the territory rows of Tally (0002) are filled by a full rollup: forget the watermark, so the
worker's next « since the last run » rebuilds everything (`rollup_stats --all`; about 15 minutes of the worker at a
million learners, docs/areas/scale.md). A full rollup empties the figures first: dashboards and the observatory
fill again period by period while it runs (say so to the network before upgrading)."""

from django.db import migrations


def forget_watermark(apps, schema_editor):
    apps.get_model("stats", "RollupWatermark").objects.filter(name="rollup_since_last_run").delete()


class Migration(migrations.Migration):

    dependencies = [("stats", "0002_first_activity_territory_tally")]

    operations = [migrations.RunPython(forget_watermark, migrations.RunPython.noop)]
