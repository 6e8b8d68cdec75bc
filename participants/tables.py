"""The participants' list tables (django-tables2 through `aktywizacja.lists.ListTable`).

Cells that hold more than a value are small templates under `participants/cells/`:
no HTML is built in Python."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from aktywizacja.lists import ListTable

CELLS = "participants/cells/"


class ParticipantTable(ListTable):
    caption_text = ngettext_lazy("%(count)d person found", "%(count)d people found", "count")
    row_header = "name"

    name = tables.TemplateColumn(
        template_name=CELLS + "participant_name.html",
        verbose_name=_("Name"),
        order_by=("last_name", "first_name", "pk"),
    )
    pesel = tables.TemplateColumn(
        template_name=CELLS + "masked_pesel.html",
        verbose_name=_("PESEL"),
        attrs={"td": {"class": "font-monospace"}},
    )
    birth_date = tables.DateColumn(verbose_name=_("Birth date"), short=False)
    commune = tables.Column(
        accessor="commune__name", verbose_name=_("Commune"), order_by=("commune__name", "pk")
    )
    enrolments = tables.TemplateColumn(
        template_name=CELLS + "enrolments.html", verbose_name=_("Enrolments"), orderable=False
    )

    class Meta(ListTable.Meta):
        order_by = ("name",)
        empty_text = _("No participants match.")


class ImportTable(ListTable):
    caption_text = ngettext_lazy("%(count)d import", "%(count)d imports", "count")
    row_header = "file_name"

    created_at = tables.DateTimeColumn(verbose_name=_("Uploaded at"), short=True)
    file_name = tables.TemplateColumn(
        template_name=CELLS + "import_file.html", verbose_name=_("File")
    )
    project = tables.Column(accessor="project__short_name", verbose_name=_("Project"))
    organisation = tables.Column(
        accessor="organisation__short_name", verbose_name=_("Recruiting organisation")
    )
    created_by = tables.TemplateColumn(
        template_name=CELLS + "user_name.html",
        extra_context={"field": "created_by"},
        verbose_name=_("Uploaded by"),
        order_by=("created_by__last_name", "created_by__username"),
    )
    rows_total = tables.Column(verbose_name=_("Rows"), attrs={"td": {"class": "text-end"}})
    new = tables.Column(verbose_name=_("New"), attrs={"td": {"class": "text-end"}})
    updated = tables.Column(verbose_name=_("Updated"), attrs={"td": {"class": "text-end"}})
    unchanged = tables.Column(verbose_name=_("Unchanged"), attrs={"td": {"class": "text-end"}})
    invalid = tables.Column(verbose_name=_("With errors"), attrs={"td": {"class": "text-end"}})
    status = tables.TemplateColumn(
        template_name=CELLS + "import_status.html", verbose_name=_("Result")
    )

    class Meta(ListTable.Meta):
        order_by = ("-created_at",)
        empty_text = _("No imports yet.")


class AccessHistoryTable(ListTable):
    caption_text = ngettext_lazy(
        "%(count)d record of the data being consulted",
        "%(count)d records of the data being consulted",
        "count",
    )

    at = tables.DateTimeColumn(
        verbose_name=_("Time"), short=True, attrs={"td": {"class": "text-nowrap"}}
    )
    user = tables.TemplateColumn(
        template_name=CELLS + "access_user.html",
        verbose_name=_("User"),
        order_by=("user__last_name", "user__username"),
    )
    organisation = tables.Column(
        accessor="organisation__short_name", verbose_name=_("Organisation"), default="—"
    )
    project = tables.Column(accessor="project__short_name", verbose_name=_("Project"), default="—")
    action = tables.TemplateColumn(
        template_name=CELLS + "access_action.html", verbose_name=_("Action")
    )
    purpose = tables.Column(verbose_name=_("Purpose"))
    source = tables.Column(
        verbose_name=_("Screen or command"), attrs={"td": {"class": "font-monospace small"}}
    )
    ip = tables.Column(
        verbose_name=pgettext_lazy("column", "IP address"),
        default="—",
        orderable=False,
        attrs={"td": {"class": "font-monospace small"}},
    )

    class Meta(ListTable.Meta):
        order_by = ("-at",)
        attrs = {"class": "table table-sm align-middle bg-white border"}
        empty_text = _("Nobody has consulted this person's data yet.")

    def render_purpose(self, record) -> str:
        return record.get_purpose_display()


class ReserveTable(ListTable):
    """The queue in its one order (first in line first): no sorting, no pages — the list
    holds at most the people a partner recruits over its quota."""

    caption_text = ngettext_lazy(
        "%(count)d person on the list; first in line first.",
        "%(count)d people on the list; first in line first.",
        "count",
    )
    row_header = "name"

    position = tables.TemplateColumn(
        "{{ row_counter|add:1 }}",
        verbose_name=_("Position"),
        attrs={"th": {"class": "text-end"}, "td": {"class": "text-end"}},
    )
    name = tables.TemplateColumn(
        template_name=CELLS + "enrolment_name.html", verbose_name=_("Name")
    )
    reserve_since = tables.TemplateColumn(
        template_name=CELLS + "reserve_since.html", verbose_name=_("On the list since")
    )

    class Meta(ListTable.Meta):
        orderable = False
        attrs = {"class": "table bg-white align-middle"}
        empty_text = _("Nobody is on the reserve list.")
        # The first in line, when a seat is free: the one to take into support now.
        row_attrs = {
            "class": lambda record, table: "table-success" if record == table.next_in_line else None
        }

    def __init__(self, *args, next_in_line=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.next_in_line = next_in_line
