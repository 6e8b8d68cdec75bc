"""One mechanism for every list: a django-tables2 table (sortable headers, 25 rows a page),
django-filter filters, and a memory of the filters, sort and page a user left a list with.

A list view calls, in this order:

    if (back := lists.restore(request)) is not None:
        return back                       # bare list → its remembered query string
    filterset = SomeFilter(request.GET, queryset=scoped_queryset, request=request)
    table = lists.table(request, SomeTable, filterset)    # sorts, pages, remembers

The memory lives in the session, one query string per list path (a list's URL name
with its arguments gives one path), so users and lists never share it. Only what was
validated is remembered: the filters the form accepted, a sort on a sortable column,
a page number, and the view's own `extra` parameters it checked itself. A search text
with digits in it (a PESEL, or part of one) is never remembered.
`{% list_url "participants:list" %}` (`aktywizacja.templatetags.lists`) gives the list's
URL with what it remembers, for breadcrumbs and links back to a list.
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

PAGE_SIZE = 25
SORT = "sort"
PAGE = "page"
RESET = "reset"
SESSION_KEY = "list_memory"
#: The most lists a session remembers (the least recently used is forgotten first).
MAX_REMEMBERED = 30
_DIGITS = re.compile(r"\d{4}")
ALL = _("all")
_ALIAS = re.compile(r"-?[a-z_]{1,50}")


class ListFilterSet(django_filters.FilterSet):
    """The base of every list's filters: a select left empty reads "wszystkie" (all),
    not Django's dashes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field, forms.NullBooleanField):
                continue  # its own three answers
            if hasattr(field, "empty_label"):  # model choices, django-filter's choices
                field.empty_label = ALL
                # The widget's copy of the choices may still read the class's field.
                field.widget.choices = field.choices
            elif isinstance(field, forms.ChoiceField):
                choices = list(field.choices)
                if choices and choices[0][0] == "":
                    field.choices = [("", ALL), *choices[1:]]


class ListTable(tables.Table):
    """The base of every list's table: the shared template (`templates/_table.html`:
    caption with the count, `aria-sort`, sort links that say what they do, Polish
    pagination). `caption_text` takes the number of rows as `%(count)d`; `row_header`
    names the column whose cell is the row's `<th scope="row">`."""

    caption_text = ngettext_lazy("%(count)d row", "%(count)d rows", "count")
    row_header: str | None = None

    class Meta:
        template_name = "_table.html"
        attrs = {"class": "table table-hover bg-white align-middle"}
        empty_text = _("Nothing matches.")

    def caption(self) -> str:
        count = self.paginator.count if getattr(self, "paginator", None) else len(self.rows)
        return self.caption_text % {"count": count}


def _path_key(request: HttpRequest) -> str:
    return request.path


def remembered(request: HttpRequest, path: str) -> str:
    """The query string remembered for the list at `path`, or ""."""
    return request.session.get(SESSION_KEY, {}).get(path, "")


def restore(request: HttpRequest) -> HttpResponseRedirect | None:
    """`?reset`: forget the list's memory and show it bare. A bare list with a memory:
    redirect to it. Otherwise None, and the view shows what was asked."""
    if RESET in request.GET:
        _store(request, "")
        return HttpResponseRedirect(request.path)
    if not request.GET:
        query = remembered(request, _path_key(request))
        if query:
            return HttpResponseRedirect(f"{request.path}?{query}")
    return None


def _store(request: HttpRequest, query: str) -> None:
    memory: dict[str, str] = dict(request.session.get(SESSION_KEY, {}))
    key = _path_key(request)
    if memory.get(key, "") == query:
        return
    memory.pop(key, None)
    if query:
        memory[key] = query  # re-inserted last: the most recently used
        while len(memory) > MAX_REMEMBERED:
            memory.pop(next(iter(memory)))
    request.session[SESSION_KEY] = memory


def _valid_filters(filterset: django_filters.FilterSet | None) -> list[tuple[str, str]]:
    """The submitted values of the filters the form accepted, as given (in field order)."""
    if filterset is None or not filterset.is_bound:
        return []
    form = filterset.form
    form.is_valid()
    pairs = []
    for name in form.fields:
        if name in form.errors:
            continue
        free_text = isinstance(filterset.filters.get(name), django_filters.CharFilter)
        for value in filterset.data.getlist(name) if hasattr(filterset.data, "getlist") else []:
            value = value.strip()
            if not value or len(value) > 100 or (free_text and _DIGITS.search(value)):
                continue  # empty, too long, or a search by digits that may be a PESEL
            pairs.append((name, value))
    return pairs


def _sort(request: HttpRequest, table: tables.Table) -> None:
    """Sort by the asked columns that exist and are sortable; anything else is ignored
    (django-tables2 drops unknown columns; we drop anything that is not one)."""
    asked = request.GET.get(SORT, "")[:200].split(",")
    known = set(table.columns.names())
    aliases = [a for a in asked if _ALIAS.fullmatch(a) and a.removeprefix("-") in known]
    if aliases:
        table.order_by = aliases


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get(PAGE, "")
    return int(value) if value.isdigit() and len(value) < 7 else 1


def table(
    request: HttpRequest,
    table_class: type[tables.Table],
    filterset: django_filters.FilterSet | None = None,
    *,
    data: Any = None,
    per_page: int | None = PAGE_SIZE,
    extra: Mapping[str, str] | None = None,
    **table_kwargs: Any,
) -> tables.Table:
    """The table of `data` (or of the filterset's rows), sorted and paged as asked, and
    the list's state remembered. `extra`: the view's own parameters, already validated
    (e.g. the internships' tab), remembered with the rest when the request carried them."""
    rows = filterset.qs if data is None else data
    # Not `request=`: django-tables2 would then page by itself and take `per_page` from
    # the query string (any size). Sorting and paging here read only validated values.
    result = table_class(rows, **table_kwargs)
    result.request = request
    _sort(request, result)
    if per_page:
        number = _page_number(request)
        paginator = Paginator(result.rows, per_page)
        result.paginator = paginator
        result.page = paginator.get_page(number)
        result.page_range = paginator.get_elided_page_range(result.page.number, on_each_side=2)
    extra = extra or {}
    state = [(key, value) for key, value in extra.items() if value and key in request.GET]
    state += _valid_filters(filterset)
    if SORT in request.GET and result.order_by:
        state.append((SORT, ",".join(result.order_by)))
    if per_page and result.page.number > 1:
        state.append((PAGE, str(result.page.number)))
    _store(request, urlencode(state))
    return result


def records(table: tables.Table) -> list[Any]:
    """The records on the table's current page (what the access log is told was shown)."""
    rows: Iterable = table.page.object_list if getattr(table, "page", None) else table.rows
    return [row.record for row in rows]


def list_url(request: HttpRequest | None, name: str, *args: Any) -> str:
    """The URL of the list `name` with the filters, sort and page it remembers."""
    path = reverse(name, args=args)
    query = remembered(request, path) if request is not None else ""
    return f"{path}?{query}" if query else path
