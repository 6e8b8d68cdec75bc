"""Presentation of enrolments in templates."""

from django import template

from participants.models import Enrolment

register = template.Library()

Status = Enrolment.Status

# The badge always carries the status's name: colour only helps the eye.
BADGE_CLASSES = {
    Status.CANDIDATE: "text-bg-secondary",
    Status.QUALIFIED: "text-bg-info",
    Status.REJECTED: "text-bg-danger",
    Status.RESERVE: "text-bg-warning",
    Status.IN_SUPPORT: "text-bg-primary",
    Status.COMPLETED: "text-bg-success",
    Status.DROPPED_OUT: "text-bg-dark",
}


@register.inclusion_tag("participants/_status_badge.html")
def status_badge(enrolment: Enrolment) -> dict:
    return {
        "css_class": BADGE_CLASSES.get(enrolment.status, "text-bg-light"),
        "label": enrolment.get_status_display(),
    }
