import gzip
import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from tremplin.organisations.models import Commune, Department, Region

DATA = Path(__file__).resolve().parents[2] / "data" / "cog-2026.json.gz"


class Command(BaseCommand):
    help = "Charge les régions, départements et communes (COG 2026). Sans effet si c'est déjà fait."

    def handle(self, *args, **options):
        data = json.loads(gzip.decompress(DATA.read_bytes()))
        if Commune.objects.count() == len(data["communes"]):
            self.stdout.write("Géographie déjà chargée.")
            return
        with transaction.atomic():
            Region.objects.bulk_create([Region(code=c, name=n) for c, n in data["regions"]],
                                       update_conflicts=True, unique_fields=["code"], update_fields=["name"])
            Department.objects.bulk_create(
                [Department(code=c, name=n, region_id=r) for c, n, r in data["departements"]],
                update_conflicts=True, unique_fields=["code"], update_fields=["name", "region"])
            Commune.objects.bulk_create(
                [Commune(code=c, name=n, department_id=d, postcodes=p, population=pop)
                 for c, n, d, _r, p, pop in data["communes"]],
                update_conflicts=True, unique_fields=["code"], update_fields=["name", "department", "postcodes",
                                                                               "population"],
                batch_size=2000)
        self.stdout.write(self.style.SUCCESS(f"{len(data['communes'])} communes chargées."))
