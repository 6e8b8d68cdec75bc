"""The coordinators' list tables (django-tables2 through `aktywizacja.lists.ListTable`).

Cells with links or several values are small templates under `pathways/cells/`. What a
row needs beyond its record (may the user act on it, the seats of its quota) the view
sets on the records of the page it shows, read in a bounded number of queries."""

import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from aktywizacja.lists import ListTable

CELLS = "pathways/cells/"
END = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}
ACTIONS = _("Actions")


class ReferralTable(ListTable):
    caption_text = ngettext_lazy(
        "%(count)d person referred for vocational activation and on no course and in no "
        "internship yet.",
        "%(count)d people referred for vocational activation and on no course and in no "
        "internship yet.",
        "count",
    )
    row_header = "name"

    name = tables.TemplateColumn(
        template_name=CELLS + "referral_name.html",
        verbose_name=_("Name"),
        order_by=("enrolment__participant__last_name", "enrolment__participant__first_name"),
    )
    recruited_by = tables.Column(
        accessor="enrolment__recruiting_organisation__short_name", verbose_name=_("Recruited by")
    )
    to_organisation = tables.Column(
        accessor="to_organisation__short_name", verbose_name=_("Referred to")
    )
    referred_on = tables.DateColumn(verbose_name=_("Referred on"))
    note = tables.TemplateColumn(
        "{{ record.note|linebreaksbr }}", verbose_name=_("Note"), orderable=False
    )
    waiting = tables.TemplateColumn(
        '<span data-waiting="{{ record.pk }}">{{ record.waiting_days }}</span>',
        verbose_name=_("Days waiting"),
        # the longest waiting first is the earliest referred
        order_by=("-referred_on", "-pk"),
        attrs=END,
    )
    actions = tables.TemplateColumn(
        template_name=CELLS + "referral_actions.html",
        verbose_name=ACTIONS,
        orderable=False,
        attrs={"td": {"class": "text-nowrap"}},
    )

    class Meta(ListTable.Meta):
        attrs = {"class": "table bg-white align-middle"}
        empty_text = _("Nobody is waiting: everyone referred is on a course or in an internship.")


class CourseTable(ListTable):
    caption_text = ngettext_lazy("%(count)d course", "%(count)d courses", "count")
    row_header = "title"

    title = tables.TemplateColumn(
        template_name=CELLS + "course_title.html",
        verbose_name=_("Course"),
        order_by=("title", "pk"),
    )
    organiser = tables.Column(accessor="organiser__short_name", verbose_name=_("Organiser"))
    dates = tables.TemplateColumn(
        template_name=CELLS + "dates.html",
        verbose_name=_("Dates"),
        order_by=("start_date", "end_date", "pk"),
        attrs={"td": {"class": "text-nowrap"}},
    )
    hours = tables.Column(verbose_name=_("Hours"), attrs=END)
    places_left = tables.TemplateColumn(
        '<span data-places-left="{{ record.pk }}">{{ record.places_left }} / '
        "{{ record.capacity }}</span>",
        verbose_name=_("Places left on the course"),
        orderable=False,
        attrs=END,
    )
    quota_left = tables.TemplateColumn(
        '<span data-quota-left="{{ record.pk }}">{% if record.quota %}{{ record.quota.free }} / '
        "{{ record.quota.seats }}{% else %}—{% endif %}</span>",
        verbose_name=_("Seats left in the quota"),
        orderable=False,
        attrs=END,
    )
    actions = tables.TemplateColumn(
        template_name=CELLS + "course_actions.html", verbose_name=ACTIONS, orderable=False
    )

    class Meta(ListTable.Meta):
        attrs = {"class": "table bg-white align-middle"}
        empty_text = _("No courses yet.")

    def __init__(self, *args, placing=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.placing = placing


class InternshipTable(ListTable):
    caption_text = ngettext_lazy("%(count)d internship", "%(count)d internships", "count")
    row_header = "name"

    name = tables.TemplateColumn(
        template_name=CELLS + "internship_name.html",
        verbose_name=_("Name"),
        order_by=("enrolment__participant__last_name", "enrolment__participant__first_name"),
    )
    employer = tables.TemplateColumn(
        template_name=CELLS + "internship_employer.html",
        verbose_name=_("Employer and post"),
        order_by=("employer__name", "position"),
    )
    dates = tables.TemplateColumn(
        template_name=CELLS + "dates.html",
        verbose_name=_("Dates"),
        order_by=("start_date", "end_date", "pk"),
        attrs={"td": {"class": "text-nowrap"}},
    )
    hours = tables.TemplateColumn(
        "{{ record.hours_per_day }} / {{ record.hours_per_week }}",
        verbose_name=_("Hours a day / a week"),
        orderable=False,
        attrs=END,
    )
    organiser = tables.Column(accessor="organiser__short_name", verbose_name=_("Organiser"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta(ListTable.Meta):
        attrs = {"class": "table bg-white align-middle"}
        empty_text = _("No internships here.")


class EmployerTable(ListTable):
    caption_text = ngettext_lazy("%(count)d employer", "%(count)d employers", "count")
    row_header = "name"

    name = tables.Column(verbose_name=_("Name"), order_by=("name", "pk"))
    nip = tables.Column(verbose_name=_("NIP"), attrs={"td": {"class": "text-nowrap"}})
    address = tables.TemplateColumn(
        "{{ record.street }}, {{ record.postcode }} {{ record.town }}",
        verbose_name=_("Address"),
        order_by=("town", "street", "pk"),
    )
    contact = tables.TemplateColumn(
        template_name=CELLS + "employer_contact.html", verbose_name=_("Contact"), orderable=False
    )
    internship_count = tables.Column(verbose_name=_("Internships"), attrs=END)
    actions = tables.TemplateColumn(
        template_name=CELLS + "employer_actions.html", verbose_name=ACTIONS, orderable=False
    )

    class Meta(ListTable.Meta):
        attrs = {"class": "table bg-white align-middle"}
        empty_text = _("No employers found.")

    def __init__(self, *args, may_edit: bool = False, **kwargs) -> None:
        super().__init__(*args, exclude=() if may_edit else ("actions",), **kwargs)


class SupportFormTable(ListTable):
    caption_text = ngettext_lazy("%(count)d form of support", "%(count)d forms of support", "count")
    row_header = "name"

    name = tables.Column(verbose_name=_("Form of support"))
    stage = tables.Column(verbose_name=_("Stage"))
    category = tables.Column(verbose_name=_("Category"))
    unit = tables.Column(verbose_name=_("Counted as"))
    providers = tables.TemplateColumn(
        template_name=CELLS + "providers.html", verbose_name=_("Provided by"), orderable=False
    )
    is_active = tables.TemplateColumn(
        template_name=CELLS + "in_use.html", verbose_name=_("In use"), order_by=("-is_active",)
    )
    actions = tables.TemplateColumn(
        template_name=CELLS + "catalogue_actions.html", verbose_name=ACTIONS, orderable=False
    )

    class Meta(ListTable.Meta):
        attrs = {"class": "table bg-white align-middle"}
        empty_text = _("No forms of support match.")
        row_attrs = {"class": lambda record: None if record.is_active else "text-muted"}

    def __init__(self, *args, may_edit: bool = False, **kwargs) -> None:
        super().__init__(*args, exclude=() if may_edit else ("actions",), **kwargs)

    def render_stage(self, record) -> str:
        return capfirst(record.get_stage_display())

    def render_category(self, record) -> str:
        return capfirst(record.get_category_display())
