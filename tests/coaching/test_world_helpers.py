"""The isolation matrices read a cell's rows again only when the database says something was written: that count
must see every kind of write, rolled back or not, on SQLite and PostgreSQL alike."""

from django.db import transaction

from tremplin.organisations.models import Organisation

from ..factories import OrganisationFactory
from .world import rows_written


def test_the_write_count_sees_an_insert_an_update_and_a_delete_even_rolled_back(db):
    start = rows_written()
    assert rows_written() == start  # reading writes nothing
    assert Organisation.objects.count() >= 0 and rows_written() == start
    with transaction.atomic():
        org = OrganisationFactory()
        inserted = rows_written()
        assert inserted > start
        Organisation.objects.filter(pk=org.pk).update(name="Autre nom")
        updated = rows_written()
        assert updated > inserted
        Organisation.objects.filter(pk=org.pk).delete()
        assert rows_written() > updated
        transaction.set_rollback(True)
    assert rows_written() > start  # rolled back, still counted: a cell compares before and after its own request
