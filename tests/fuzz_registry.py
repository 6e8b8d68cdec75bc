"""How every form of our apps is used, for the fuzzing (tests/test_fuzzing.py): the
`REGISTRY` maps each Form and FormSet class to how its view builds it, a valid
submission, and what the view does with it once valid (the service). `make_ctx`
gives the world they act in: the Lębork demo, its personas and objects."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aktywizacja import two_factor
from participants import forms as participant_forms
from participants import services as participant_services
from participants import tasks
from participants.forms_import import ImportUploadForm
from participants.models import Enrolment, Participant
from partners import admin as partner_admin
from partners import forms as partner_forms
from partners import services as partner_services
from partners.models import BudgetLine, Organisation, PlaceKind, Project
from pathways import forms as pathway_forms
from pathways import forms_coordination as coordination_forms
from pathways import services as pathway_services
from pathways.models import Course, CourseParticipation, Employer, Internship, Payment, SupportForm
from pathways.selectors_coordination import course_candidates
from reporting import forms as reporting_forms
from reporting.views_dashboard import _figures

from .demo_samples import demo_samples
from .factories import make_pesel
from .fuzz_values import polish
from .participants.importing import csv_bytes, row


class Ctx:
    """The demo, its personas and the objects the forms act on (in their scope).

    It holds primary keys: an object is read when first asked for. `fresh()` gives a
    context that reads them again — an example's service may change an instance in
    memory, and the example's rollback leaves that instance unlike the database."""

    def __init__(self, refs: dict[str, tuple[type, int]], samples: dict[type, list[int]]):
        self._refs, self._samples = refs, samples

    def fresh(self) -> "Ctx":
        return Ctx(self._refs, self._samples)

    def __getattr__(self, name: str):
        if name.startswith("_") or name not in self._refs:
            raise AttributeError(name)
        model, pk = self._refs[name]
        value = model._default_manager.get(pk=pk)
        setattr(self, name, value)
        return value

    def sample(self, model):
        """The demo's first in-scope object of `model` (tests/demo_samples.py)."""
        return self.__getattr__(f"sample_{model._meta.label}")

    def sample_pk(self, model) -> int | None:
        return self._samples.get(model, [None])[0]

    def enrolment(self, status: str) -> Enrolment:
        """The demo's first enrolment in `status`."""
        return self.__getattr__(f"enrolment_{status}")

    def admin_request(self):
        request = RequestFactory().post("/admin/")
        request.user = self.superuser
        return request


def make_ctx(demo) -> Ctx:
    """The context of the fuzzing on the demo; it adds the demo's missing pieces: the
    manager's and a social worker's authenticators, one being set up, an import."""
    users = get_user_model().objects
    manager = users.get(username="kierownik")
    social_worker = users.get(username="sw.lebork")
    samples = demo_samples(demo)
    internship = samples[Internship][0]
    device = two_factor.authenticator_of(manager) or TOTPDevice.objects.create(
        user=manager, name="fuzz", confirmed=True
    )
    if not two_factor.has_authenticator(social_worker):
        TOTPDevice.objects.create(user=social_worker, name="fuzz", confirmed=True)
    refs = {
        "demo": (Project, demo.pk),
        "manager": (type(manager), manager.pk),
        "superuser": (type(manager), users.get(username="admin").pk),
        "social_worker": (type(manager), social_worker.pk),
        # in support, with a pathway, referrals and an internship
        "rich": (Enrolment, internship.enrolment_id),
        "internship": (Internship, internship.pk),
        "course": (
            Course,
            Course.objects.get(organiser__short_name="Starostwo Lębork", project=demo).pk,
        ),
        "participation": (CourseParticipation, samples[CourseParticipation][0].pk),
        "device": (TOTPDevice, device.pk),  # the manager's authenticator
        "new_device": (TOTPDevice, two_factor.authenticator_start(user=manager).pk),
    }
    for status in Enrolment.Status.values:
        first = Enrolment.objects.filter(project=demo, status=status).order_by("pk").first()
        if first is not None:
            refs[f"enrolment_{status}"] = (Enrolment, first.pk)
    for model, objects in samples.items():
        refs[f"sample_{model._meta.label}"] = (model, objects[0].pk)
    return Ctx(refs, {model: [o.pk for o in objects] for model, objects in samples.items()})


def current(form) -> dict:
    """What the form shows unbound (its initial values and instance), as a browser
    would send it back."""
    data = {}
    for bound in form:
        value = bound.value()
        if value in (None, "", []):
            continue
        if isinstance(bound.field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(bound.field, forms.ChoiceField | forms.ModelChoiceField):
            data[bound.html_name] = str(value)
        else:
            data[bound.html_name] = str(bound.field.widget.format_value(value))
    return data


# The registry: how every form is built, filled validly, saved --------------------------


@dataclass(frozen=True)
class Spec:
    """How one form class is used: `build(ctx, data, files)` makes it as its view does
    (unbound when data is None); `base(ctx)` is a valid submission; `save(ctx, form)`
    does what the view does with a valid form (the service, as the demo's manager — or
    the admin's, as its superuser). `url` names the view that takes it, and
    `url_args(ctx)` its in-scope parameters."""

    build: Callable
    base: Callable[[Ctx], dict] = lambda ctx: {}
    save: Callable | None = None
    url: str | None = None
    url_args: Callable[[Ctx], dict] = lambda ctx: {}


@dataclass(frozen=True)
class Base:
    """A base class, used only through its subclasses (which are in the registry)."""

    why: str


def _enrolment_action(form_class, status: str, save, url: str, base=lambda ctx: {}) -> Spec:
    return Spec(
        build=lambda ctx, data, files: form_class(data, enrolment=ctx.enrolment(status)),
        base=base,
        save=lambda ctx, form: save(ctx, ctx.enrolment(status), form),
        url=url,
        url_args=lambda ctx: {"pk": ctx.enrolment(status)},
    )


def _pathway_action(form_class, save, url: str, base) -> Spec:
    return Spec(
        build=lambda ctx, data, files: form_class(data, enrolment=ctx.rich, user=ctx.manager),
        base=base,
        save=lambda ctx, form: save(ctx, form),
        url=url,
        url_args=lambda ctx: {"pk": ctx.rich},
    )


def _person(ctx: Ctx) -> dict:
    """A new person's data: the first enrolment's person's, with a new PESEL and name."""
    participant = ctx.rich.participant
    data = current(participant_forms.ParticipantForm(instance=participant, user=ctx.manager))
    pesel = make_pesel(datetime.date(1980, 3, 1), "K", 777)
    return (
        data
        | {"first_name": "Anna", "last_name": "Testowa", "pesel": pesel}
        | {
            "sex": "",
            "birth_date": "",
        }
    )


def _register_save(ctx, form):
    return participant_services.participant_register(
        user=ctx.manager,
        project=form.cleaned_data["project"],
        organisation=form.cleaned_data["organisation"],
        participant=form.instance,
        registered_on=form.cleaned_data["registered_on"],
    )


def _enrol_existing_save(ctx, form):
    data = form.cleaned_data
    return participant_services.enrol_registered_person(
        user=ctx.manager,
        project=data["project"],
        organisation=data["organisation"],
        pesel=data["pesel"],
        last_name=data["last_name"],
        registered_on=data["registered_on"],
    )


def _recruiter(ctx) -> Organisation:
    return Organisation.objects.get(short_name="PCPR Lębork")


def _session(ctx) -> dict:
    return {
        "project": str(ctx.demo.pk),
        "provider": str(ctx.rich.recruiting_organisation_id),
        "support_form": str(SupportForm.objects.get(name="Poradnictwo psychologiczne").pk),
        "date": "05.06.2017",
        "hours": "2",
        "specialist": "Jan Nowak",
        "place": "Sala 1",
        "is_group": "on",
    }


def _rows(ctx) -> dict:
    return _session(ctx) | {
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "0",
        "rows-0-enrolment": str(ctx.rich.pk),
        "rows-0-present": "on",
        "rows-0-hours": "",
    }


def _session_save(ctx, form, rows=()):
    return pathway_services.session_record(user=ctx.manager, rows=list(rows), **form.cleaned_data)


def _attendance_build(ctx, data, files):
    session = pathway_forms.SessionForm(data, user=ctx.manager)
    return pathway_forms.AttendanceFormSet(
        data, user=ctx.manager, session_form=session if data is not None else None, prefix="rows"
    )


def _attendance_save(ctx, rows):
    session = rows.session_form
    if not session.is_valid():
        return None
    return _session_save(ctx, session, rows.attendance_rows())


def _import_file(ctx) -> bytes:
    return csv_bytes([row(900, {"Gmina": "Wicko"})])


def _upload_save(ctx, form):
    return tasks.import_upload(
        user=ctx.manager,
        project=form.cleaned_data["project"],
        organisation=form.cleaned_data["organisation"],
        file_name=form.cleaned_data["file"].name,
        content=form.content,
        rows_total=len(form.table),
    )


def _budget_admin_build(ctx, data, files):
    model_admin = admin.site._registry[BudgetLine]
    form_class = model_admin.get_form(ctx.admin_request(), None)
    return form_class(data)


def _budget_admin_save(ctx, form):
    model_admin = admin.site._registry[BudgetLine]
    return model_admin.save_model(ctx.admin_request(), form.instance, form, change=False)


def _inline(inline_class):
    """An inline of the project's admin page, built as the admin builds it (its prefix
    is its default, the related name: what the page sends)."""

    def build(ctx, data, files):
        inline = inline_class(Project, admin.site)
        return inline.get_formset(ctx.admin_request(), ctx.demo)(data, instance=ctx.demo)

    return build


def _inline_base(inline_class):
    """The inline's rows as the project's admin page shows them and sends them back."""

    def base(ctx) -> dict:
        formset = _inline(inline_class)(ctx, None, None)
        data = current(formset.management_form)
        for form in formset.forms:
            data |= current(form)
        return data

    return base


def _code_base(ctx) -> dict:
    return {"code": f"{totp(ctx.device.bin_key):06d}"}


def _new_device(ctx) -> TOTPDevice:
    """The authenticator being set up (unconfirmed), as the set-up page makes it."""
    return ctx.new_device


def _follow_up_base(ctx) -> dict:
    enrolment = ctx.enrolment("COMPLETED")
    form = participant_forms.FollowUpForm(enrolment=enrolment)
    day = enrolment.end_date + datetime.timedelta(days=95)
    return current(form) | {
        "checked_on": polish(day),
        "employed": "on",
        "contract_months": "3",
        "working_time": "1,00",
    }


REGISTRY: dict[type, Spec | Base | list[Spec]] = {
    # participants -----------------------------------------------------------------------
    participant_forms.ParticipantForm: Spec(
        build=lambda ctx, data, files: participant_forms.ParticipantForm(
            data, instance=Participant.objects.get(pk=ctx.rich.participant_id), user=ctx.manager
        ),
        base=lambda ctx: current(
            participant_forms.ParticipantForm(instance=ctx.rich.participant, user=ctx.manager)
        ),
        save=lambda ctx, form: participant_services.participant_update(
            user=ctx.manager, participant=form.instance
        ),
        url="participants:edit",
        url_args=lambda ctx: {"pk": ctx.rich.participant},
    ),
    participant_forms.RegisterForm: Spec(
        build=lambda ctx, data, files: participant_forms.RegisterForm(data, user=ctx.manager),
        base=lambda ctx: (
            _person(ctx)
            | {
                "project": str(ctx.demo.pk),
                "organisation": str(_recruiter(ctx).pk),
                "registered_on": "02.05.2017",
            }
        ),
        save=_register_save,
        url="participants:register",
    ),
    participant_forms.EnrolExistingForm: Spec(
        build=lambda ctx, data, files: participant_forms.EnrolExistingForm(data, user=ctx.manager),
        base=lambda ctx: {
            "project": str(ctx.demo.pk),
            "organisation": str(_recruiter(ctx).pk),
            "pesel": ctx.rich.participant.pesel,
            "last_name": ctx.rich.participant.last_name,
            "registered_on": "02.05.2017",
        },
        save=_enrol_existing_save,
        url="participants:enrol_existing",
    ),
    participant_forms.EnrolmentActionForm: Base("the enrolment actions below subclass it"),
    participant_forms.QualifyForm: _enrolment_action(
        participant_forms.QualifyForm,
        "CANDIDATE",
        lambda ctx, e, form: participant_services.enrolment_qualify(
            user=ctx.manager, enrolment=e, on_date=form.cleaned_data["qualified_on"]
        ),
        "participants:qualify",
        base=lambda ctx: {
            "qualified_on": polish(
                ctx.enrolment("CANDIDATE").registered_on + datetime.timedelta(days=10)
            )
        },
    ),
    participant_forms.RejectForm: _enrolment_action(
        participant_forms.RejectForm,
        "CANDIDATE",
        lambda ctx, e, form: participant_services.enrolment_reject(
            user=ctx.manager, enrolment=e, reason=form.cleaned_data["reason"]
        ),
        "participants:reject",
        base=lambda ctx: {"reason": "Mieszka poza obszarem projektu."},
    ),
    participant_forms.OverrideForm: _enrolment_action(
        participant_forms.OverrideForm,
        "CANDIDATE",
        lambda ctx, e, form: participant_services.eligibility_override(
            user=ctx.manager, enrolment=e, justification=form.cleaned_data["justification"]
        ),
        "participants:override",
        base=lambda ctx: {"justification": "Decyzja kierownika projektu."},
    ),
    participant_forms.ConsentForm: _enrolment_action(
        participant_forms.ConsentForm,
        "QUALIFIED",
        lambda ctx, e, form: participant_services.consent_record(
            user=ctx.manager, enrolment=e, **form.cleaned_data
        ),
        "participants:consent",
        base=lambda ctx: current(
            participant_forms.ConsentForm(enrolment=ctx.enrolment("QUALIFIED"))
        ),
    ),
    participant_forms.StartSupportForm: _enrolment_action(
        participant_forms.StartSupportForm,
        "QUALIFIED",
        lambda ctx, e, form: participant_services.enrolment_start_support(
            user=ctx.manager, enrolment=e, on_date=form.cleaned_data["support_start"]
        ),
        "participants:start_support",
        base=lambda ctx: {"support_start": "20.11.2017"},
    ),
    participant_forms.ResignForm: _enrolment_action(
        participant_forms.ResignForm,
        "QUALIFIED",
        lambda ctx, e, form: participant_services.enrolment_resign(
            user=ctx.manager,
            enrolment=e,
            on_date=form.cleaned_data["end_date"],
            reason=form.cleaned_data["reason"],
        ),
        "participants:resign",
        base=lambda ctx: {"end_date": "20.11.2017", "reason": "Przeprowadzka."},
    ),
    participant_forms.ExitForm: _enrolment_action(
        participant_forms.ExitForm,
        "IN_SUPPORT",
        lambda ctx, e, form: participant_services.enrolment_exit(
            user=ctx.manager, enrolment=e, **form.cleaned_data
        ),
        "participants:exit",
        base=lambda ctx: {"end_date": "30.06.2018", "completed_pathway": "True", "employed": "on"},
    ),
    participant_forms.FollowUpForm: _enrolment_action(
        participant_forms.FollowUpForm,
        "COMPLETED",
        lambda ctx, e, form: participant_services.follow_up_record(
            user=ctx.manager, enrolment=e, follow_up=form.instance
        ),
        "participants:follow_up",
        base=_follow_up_base,
    ),
    ImportUploadForm: Spec(
        build=lambda ctx, data, files: ImportUploadForm(data, files, user=ctx.manager),
        base=lambda ctx: {
            "pair": f"{ctx.demo.pk}:{_recruiter(ctx).pk}",
            "file": SimpleUploadedFile("lista.csv", _import_file(ctx)),
        },
        save=_upload_save,
        url="participants:import",
    ),
    # partners ---------------------------------------------------------------------------
    partner_forms.BudgetLineForm: Spec(
        build=lambda ctx, data, files: partner_forms.BudgetLineForm(data, project=ctx.demo),
        base=lambda ctx: {
            "organisation": str(Organisation.objects.get(short_name="MOPS Lębork").pk),
            "category": "Koszty wyżywienia",
            "funding": "GRANT",
            "planned_amount": "1 234,56",
        },
        save=lambda ctx, form: partner_services.budget_line_save(
            user=ctx.manager, line=form.instance
        ),
        url="partners:budget_line_new",
        url_args=lambda ctx: {"pk": ctx.demo},
    ),
    partner_admin.BudgetLineAdminForm: Spec(
        build=_budget_admin_build,
        base=lambda ctx: {
            "project": str(ctx.demo.pk),
            "organisation": str(Organisation.objects.get(short_name="MOPS Lębork").pk),
            "category": "Koszty wyżywienia",
            "funding": "GRANT",
            "planned_amount": "1234,56",
        },
        save=_budget_admin_save,
    ),
    partner_admin.PartnershipFormSet: Spec(
        build=_inline(partner_admin.PartnershipInline),
        base=_inline_base(partner_admin.PartnershipInline),
        save=lambda ctx, formset: formset.save(),
    ),
    # the other inlines of the project and organisation pages
    partner_admin.ConstrainedInlineFormSet: Spec(
        build=_inline(partner_admin.SeatQuotaInline),
        base=_inline_base(partner_admin.SeatQuotaInline),
        save=lambda ctx, formset: formset.save(),
    ),
    # pathways ---------------------------------------------------------------------------
    pathway_forms.PathwayForm: _pathway_action(
        pathway_forms.PathwayForm,
        lambda ctx, form: pathway_services.pathway_save(
            user=ctx.manager, enrolment=ctx.rich, **form.cleaned_data
        ),
        "pathways:edit",
        base=lambda ctx: current(pathway_forms.PathwayForm(enrolment=ctx.rich, user=ctx.manager)),
    ),
    pathway_forms.GoalForm: _pathway_action(
        pathway_forms.GoalForm,
        lambda ctx, form: pathway_services.goal_add(
            user=ctx.manager, pathway=ctx.rich.pathway, **form.cleaned_data
        ),
        "pathways:goal_add",
        base=lambda ctx: {"description": "Podjęcie pracy w gastronomii."},
    ),
    pathway_forms.GoalStatusForm: Spec(
        build=lambda ctx, data, files: pathway_forms.GoalStatusForm(
            data, goal=ctx.sample(pathway_forms.PathwayGoal)
        ),
        base=lambda ctx: {"status": "ACHIEVED"},
        save=lambda ctx, form: pathway_services.goal_set_status(
            user=ctx.manager, goal=ctx.sample(pathway_forms.PathwayGoal), **form.cleaned_data
        ),
        url="pathways:goal_status",
        url_args=lambda ctx: {"pk": ctx.sample(pathway_forms.PathwayGoal)},
    ),
    pathway_forms.PlanItemForm: _pathway_action(
        pathway_forms.PlanItemForm,
        lambda ctx, form: pathway_services.planned_support_add(
            user=ctx.manager, pathway=ctx.rich.pathway, **form.cleaned_data
        ),
        "pathways:plan_add",
        base=lambda ctx: {
            "support_form": str(SupportForm.objects.get(name="Poradnictwo psychologiczne").pk),
            "provider": str(ctx.rich.recruiting_organisation_id),
            "planned_start": "01.06.2017",
            "planned_end": "30.06.2017",
            "planned_hours": "10",
        },
    ),
    pathway_forms.ReferralForm: _pathway_action(
        pathway_forms.ReferralForm,
        lambda ctx, form: pathway_services.referral_create(
            user=ctx.manager, enrolment=ctx.rich, **form.cleaned_data
        ),
        "pathways:refer",
        base=lambda ctx: {
            "to_organisation": str(Organisation.objects.get(short_name="PCE-ZSP Lębork").pk),
            "referred_on": "01.06.2017",
            "note": "Kurs kucharza.",
        },
    ),
    pathway_forms.PaymentForm: _pathway_action(
        pathway_forms.PaymentForm,
        lambda ctx, form: pathway_services.payment_record(user=ctx.manager, payment=form.instance),
        "pathways:payment_add",
        base=lambda ctx: {
            "kind": Payment.Kind.TRAVEL_REFUND,
            "amount": "100,00",
            "paid_on": "10.06.2017",
            "period_start": "01.05.2017",
            "period_end": "31.05.2017",
            "document_number": "ZW/1/2017",
            "budget_line": str(
                BudgetLine.objects.get(
                    project=ctx.demo,
                    organisation=ctx.rich.recruiting_organisation,
                    category="Koszty przejazdów na zajęcia",
                ).pk
            ),
        },
    ),
    pathway_forms.SessionSetupForm: Spec(
        build=lambda ctx, data, files: pathway_forms.SessionSetupForm(data, user=ctx.manager),
        base=lambda ctx: {
            k: v for k, v in _session(ctx).items() if k in pathway_forms.SETUP_FIELDS
        },
    ),
    pathway_forms.SessionForm: Spec(
        build=lambda ctx, data, files: pathway_forms.SessionForm(data, user=ctx.manager),
        base=_session,
        save=_session_save,
    ),
    pathway_forms.AttendanceRowForm: Spec(
        build=lambda ctx, data, files: pathway_forms.AttendanceRowForm(data),
        base=lambda ctx: {"enrolment": str(ctx.rich.pk), "present": "on", "hours": "1,5"},
    ),
    pathway_forms.BaseAttendanceFormSet: Base("AttendanceFormSet (formset_factory) is it"),
    pathway_forms.AttendanceFormSet: Spec(
        build=_attendance_build,
        base=_rows,
        save=_attendance_save,
        url="pathways:session_new",
    ),
    coordination_forms.CourseForm: Spec(
        build=lambda ctx, data, files: coordination_forms.CourseForm(data, user=ctx.manager),
        base=lambda ctx: {
            "project": str(ctx.demo.pk),
            "organiser": str(ctx.course.organiser_id),
            "place_kind": PlaceKind.SPECIALIST_COURSE,
            "title": "Spawacz",
            "provider_name": "Ośrodek Szkolenia",
            "hours": "80",
            "start_date": "01.09.2017",
            "end_date": "30.09.2017",
            "capacity": "5",
            "exam": "",
        },
        save=lambda ctx, form: pathway_services.course_create(
            user=ctx.manager, course=form.instance
        ),
        url="pathways:course_new",
    ),
    coordination_forms.CourseAssignForm: Spec(
        build=lambda ctx, data, files: coordination_forms.CourseAssignForm(
            data, user=ctx.manager, course=ctx.course
        ),
        base=lambda ctx: {"enrolment": str(course_candidates(ctx.manager, ctx.course)[0].pk)},
        save=lambda ctx, form: pathway_services.course_assign(
            user=ctx.manager, course=ctx.course, enrolment=form.cleaned_data["enrolment"]
        ),
        url="pathways:course_assign",
        url_args=lambda ctx: {"pk": ctx.course},
    ),
    coordination_forms.CertificateForm: Spec(
        build=lambda ctx, data, files: coordination_forms.CertificateForm(
            data, instance=CourseParticipation.objects.get(pk=ctx.participation.pk)
        ),
        base=lambda ctx: {
            "exam_passed": "on",
            "certificate_name": "Operator wózków widłowych",
            "certificate_number": "UDT/1/2017",
            "certificate_date": polish(ctx.participation.course.end_date),
        },
        save=lambda ctx, form: pathway_services.certificate_record(
            user=ctx.manager, participation_record=form.instance, **form.cleaned_data
        ),
        url="pathways:certificate",
        url_args=lambda ctx: {"pk": ctx.participation},
    ),
    coordination_forms.EmployerForm: Spec(
        build=lambda ctx, data, files: coordination_forms.EmployerForm(data, instance=Employer()),
        base=lambda ctx: {
            "name": "Nowa Firma Sp. z o.o.",
            "nip": "123-456-32-18",
            "street": "Krótka 1",
            "postcode": "84-300",
            "town": "Lębork",
            "contact_person": "Jan Kowalski",
            "phone": "600100200",
            "email": "biuro@example.com",
        },
        save=lambda ctx, form: pathway_services.employer_save(
            user=ctx.manager, employer=form.instance
        ),
        url="pathways:employer_new",
    ),
    coordination_forms.MedicalExamForm: Spec(
        build=lambda ctx, data, files: coordination_forms.MedicalExamForm(data, enrolment=ctx.rich),
        base=lambda ctx: {
            "examined_on": "01.03.2017",
            "valid_until": "01.03.2018",
            "result": "FIT",
            "purpose": "staż",
        },
        save=lambda ctx, form: pathway_services.medical_exam_record(
            user=ctx.manager, enrolment=ctx.rich, exam=form.instance
        ),
        url="pathways:medical_exam_add",
        url_args=lambda ctx: {"pk": ctx.rich},
    ),
    coordination_forms.InternshipForm: Spec(
        build=lambda ctx, data, files: coordination_forms.InternshipForm(
            data, user=ctx.manager, enrolment=ctx.rich
        ),
        base=lambda ctx: {
            "organiser": str(ctx.internship.organiser_id),
            "employer": str(ctx.internship.employer_id),
            "position": "Pomoc kuchenna",
            "mentor": "Anna Nowak",
            "start_date": polish(ctx.internship.end_date + datetime.timedelta(days=10)),
            "end_date": polish(ctx.internship.end_date + datetime.timedelta(days=70)),
            "hours_per_day": "8",
            "hours_per_week": "40",
        },
        save=lambda ctx, form: pathway_services.internship_assign(
            user=ctx.manager, internship=form.instance
        ),
        url="pathways:internship_new",
        url_args=lambda ctx: {"pk": ctx.rich},
    ),
    coordination_forms.InternshipMonthForm: Spec(
        build=lambda ctx, data, files: coordination_forms.InternshipMonthForm(data),
        base=lambda ctx: {
            "month": f"{ctx.internship.start_date:%m.%Y}",
            "days_worked": "10",
            "hours_worked": "80",
            "excused_days": "0",
        },
        save=lambda ctx, form: pathway_services.internship_month_record(
            user=ctx.manager, internship=ctx.internship, **form.cleaned_data
        ),
        url="pathways:internship_month_add",
        url_args=lambda ctx: {"pk": ctx.internship},
    ),
    coordination_forms.InternshipFinishForm: Spec(
        build=lambda ctx, data, files: coordination_forms.InternshipFinishForm(data),
        base=lambda ctx: {"status": "COMPLETED", "end_date": polish(ctx.internship.end_date)},
        save=lambda ctx, form: pathway_services.internship_finish(
            user=ctx.manager, internship=ctx.internship, **form.cleaned_data
        ),
        url="pathways:internship_finish",
        url_args=lambda ctx: {"pk": ctx.internship},
    ),
    coordination_forms.SupportFormForm: Spec(
        build=lambda ctx, data, files: coordination_forms.SupportFormForm(
            data, instance=SupportForm()
        ),
        base=lambda ctx: {
            "name": "Grupa wsparcia",
            "category": "SOCIAL",
            "stage": "SOCIAL",
            "unit": "SESSION_HOURS",
            "provider_kinds": ["OPS", "MOPS"],
            "is_active": "on",
        },
        save=lambda ctx, form: pathway_services.support_form_save(
            user=ctx.manager, support_form=form.instance
        ),
        url="pathways:catalogue_new",
    ),
    # reporting --------------------------------------------------------------------------
    reporting_forms.SelectionForm: Spec(
        build=lambda ctx, data, files: reporting_forms.SelectionForm(
            data, project=ctx.demo, user=ctx.manager
        ),
        base=lambda ctx: {"start": "01.01.2017", "end": "31.12.2017", "organisation": ""},
        save=lambda ctx, form: _figures(form.selection),
    ),
    # aktywizacja ------------------------------------------------------------------------
    two_factor.CodeForm: [
        Spec(  # the code at login (/konto/weryfikacja/), a backup code allowed
            build=lambda ctx, data, files: two_factor.CodeForm(data, user=ctx.manager),
            base=_code_base,
            url="two_factor_verify",
        ),
        Spec(  # the code that confirms a new authenticator (/konto/weryfikacja/konfiguracja/)
            build=lambda ctx, data, files: two_factor.CodeForm(
                data, user=ctx.manager, device=_new_device(ctx), backup=False
            ),
            base=lambda ctx: {"code": f"{totp(_new_device(ctx).bin_key):06d}"},
            save=lambda ctx, form: two_factor.authenticator_confirm(device=form.device),
            url="two_factor_setup",
        ),
    ],
}


def _specs() -> list[tuple[str, Spec]]:
    specs = []
    for form_class, entry in REGISTRY.items():
        for index, spec in enumerate(entry if isinstance(entry, list) else [entry]):
            if isinstance(spec, Spec):
                specs.append((f"{form_class.__qualname__}{'-' * index}{index or ''}", spec))
    return specs


SPECS = _specs()
