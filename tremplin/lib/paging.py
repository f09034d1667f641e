"""A Django paginator whose page and total come from one query."""

from django.core.paginator import Paginator
from django.db.models import Count, Window

# A page number beyond this would overflow an SQL offset: it is counted first and Django's rules give the last page.
MAX_PAGE = 1_000_000


class OneQueryPaginator(Paginator):
    """Django's ``Paginator`` over a queryset, for lists whose count costs as much as a page (a filter computed by
    the database): the page's rows and the number of rows come in one query (``COUNT(*) OVER ()``). Past the last
    page, or for a page number that is not one, Django's rules apply (the rows are counted first). A subclass may
    override ``_get_page`` (Django's hook) to build the page's items from its rows."""

    def get_page(self, number):
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1  # Django's rule for no page number or one that is not a number: the first page
        if 1 <= wanted <= MAX_PAGE:
            bottom = (wanted - 1) * self.per_page
            rows = list(self.object_list.annotate(window_total=Window(Count("*")))[bottom:bottom + self.per_page])
            if rows:
                self.count = rows[0].window_total
                return self._get_page(rows, wanted, self)
        return super().get_page(number)
