"""The participant sheet as a django-import-export resource (export only): one field per
funder column, in the funder's order, read from an enrolment fetched by
`exports.participants_queryset` (participant, commune, exit and pathway joined, age
at entry annotated). The writers in `exports` call it row by row.
"""

from import_export.fields import Field
from import_export.resources import Resource
from import_export.widgets import IntegerWidget

from participants.models import Enrolment
from pathways.models import Stage

from . import funder

Status = Enrolment.Status
#: "Zakończenie udziału zgodnie ze ścieżką": empty while the person is in support
ENDED_AS_PLANNED = {Status.COMPLETED: funder.YES, Status.DROPPED_OUT: funder.NO}


def _empty() -> Field:
    """A column we have no data for (business start-up, occupation, employer)."""
    return Field(dehydrate_method=lambda enrolment: "")


def _participant(name: str) -> Field:
    return Field(attribute=f"participant__{name}")


def _answer(name: str) -> Field:
    return Field(dehydrate_method=lambda e: funder.ANSWER[getattr(e.participant, name)])


def _related(enrolment: Enrolment, name: str):
    """A reverse one-to-one joined by the query, or None when there is none."""
    return getattr(enrolment, name, None)


class ParticipantListResource(Resource):
    """The funder's participant sheet. Field names are ours; the column names are set
    from `funder.FUNDER_COLUMNS` below, so the layout is written down once."""

    country = Field(dehydrate_method=lambda e: funder.COUNTRY)
    participant_kind = Field(dehydrate_method=lambda e: funder.INDIVIDUAL)
    institution = _empty()
    first_name = _participant("first_name")
    last_name = _participant("last_name")
    pesel = _participant("pesel")
    no_pesel = Field(dehydrate_method=lambda e: funder.yes_no(e.participant.no_pesel))
    sex = Field(dehydrate_method=lambda e: funder.SEX[e.participant.sex])
    age = Field(attribute="age_at_entry", widget=IntegerWidget(coerce_to_string=False))
    education = Field(dehydrate_method=lambda e: funder.EDUCATION[e.participant.education])
    voivodeship = Field(dehydrate_method=lambda e: e.participant.commune.get_voivodeship_display())
    county = _participant("commune__county")
    commune = _participant("commune__name")
    town = _participant("town")
    street = _participant("street")
    building_number = _participant("building_number")
    flat_number = _participant("flat_number")
    postcode = _participant("postcode")
    degurba = Field(dehydrate_method=lambda e: funder.DEGURBA[e.participant.degurba])
    phone = _participant("phone")
    email = _participant("email")
    project_start = Field(dehydrate_method=lambda e: funder.funder_date(e.participation_start))
    project_end = Field(dehydrate_method=lambda e: funder.funder_date(e.end_date))
    labour_market_status = Field(
        dehydrate_method=lambda e: funder.LABOUR_MARKET_STATUS[e.participant.labour_market_status]
    )
    labour_market_substatus = Field(
        dehydrate_method=lambda e: funder.LABOUR_MARKET_SUBSTATUS.get(
            e.participant.labour_market_substatus, ""
        )
    )
    occupation = _empty()
    employer = _empty()
    situation_1 = Field(dehydrate_method=lambda e: funder.exit_situations(_related(e, "exit"))[0])
    situation_2 = Field(dehydrate_method=lambda e: funder.exit_situations(_related(e, "exit"))[1])
    young_people_results = _empty()
    completed_pathway = Field(dehydrate_method=lambda e: ENDED_AS_PLANNED.get(e.status, ""))
    support_kind = Field(dehydrate_method=lambda e: funder.SUPPORT_KIND)
    support_character = Field(dehydrate_method="dehydrate_support_character")
    support_start = Field(dehydrate_method=lambda e: funder.funder_date(e.participation_start))
    support_end = Field(dehydrate_method=lambda e: funder.funder_date(e.end_date))
    business_start = _empty()
    business_grant = _empty()
    business_pkd = _empty()
    minority = _answer("foreign_origin_or_minority")
    homeless = _answer("homeless_or_housing_exclusion")
    disability = _answer("disability")
    other_disadvantage = _answer("other_disadvantage")

    def dehydrate_support_character(self, enrolment: Enrolment) -> str:
        """Social activation for everyone; social and vocational once the pathway has
        moved on to the vocational stage."""
        pathway = _related(enrolment, "pathway")
        if pathway is not None and pathway.stage == Stage.VOCATIONAL:
            return funder.SUPPORT_SOCIAL_AND_VOCATIONAL
        return funder.SUPPORT_SOCIAL


for _field, _column in zip(
    ParticipantListResource.fields.values(), funder.FUNDER_COLUMNS, strict=True
):
    _field.column_name = _column
