"""Helpers of the social worker's pathway screens (their fixtures are in conftest)."""

import datetime

from django.contrib.messages import get_messages
from django.urls import reverse

from participants.models import Enrolment
from pathways.models import Pathway, SupportForm

SESSION_DAY = datetime.date(2016, 6, 6)
PSYCHOLOGY = "Poradnictwo psychologiczne"
CAREER = "Doradztwo zawodowe"
OTHERS = ["sw_wicko", "sw_leszno", "nobody"]  # the MOPS Lębork people are outside their scope


def url(name: str, *args) -> str:
    return reverse(f"pathways:{name}", args=[getattr(a, "pk", a) for a in args])


def support_form(name: str) -> SupportForm:
    return SupportForm.objects.get(name=name)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def error_codes(response, field: str | None = None, form: str = "form") -> list[str]:
    """The error codes at a field of the page's form (None: above the form)."""
    assert response.status_code == 200, response.status_code
    bound = response.context[form]
    if field is None:
        return [error.code for error in bound.non_field_errors().as_data()]
    return [error.code for error in bound.errors.as_data().get(field, [])]


def pathway_of(enrolment: Enrolment) -> Pathway | None:
    return Pathway.objects.filter(enrolment=enrolment).first()
