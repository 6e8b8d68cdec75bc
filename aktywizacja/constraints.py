"""Check constraints validated in one query per save.

Django validates each `CheckConstraint` of a model with its own query (`Q.check`):
an enrolment, with eleven of them, cost eleven queries per save before it reached
the database. This evaluates all of a model's check constraints in a single
`SELECT COALESCE(<condition>, TRUE), …` over the instance's values — the same
expressions and the same NULL rule as Django's — and leaves the unique constraints,
which must read the table, to Django.
"""

from django.core.exceptions import NON_FIELD_ERRORS, FieldError, ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import BooleanField, CheckConstraint, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


def _violated_checks(instance, checks, exclude, using) -> list[CheckConstraint]:
    model = type(instance)
    against = instance._get_field_expression_map(meta=model._meta, exclude=exclude)
    query = Query(None)
    for name, value in against.items():
        if not hasattr(value, "resolve_expression"):
            value = Value(value)
        query.add_annotation(value, name, select=False)
    evaluated = []
    for index, constraint in enumerate(checks):
        condition = Coalesce(Q(constraint.condition), True, output_field=BooleanField())
        try:
            query.add_annotation(condition, f"_check_{index}")
        except FieldError:
            continue  # a field left out of validation: Django skips the check too
        evaluated.append(constraint)
    if not evaluated:
        return []
    connection = connections[using]
    atomic = transaction.atomic(using=using) if connection.in_atomic_block else None
    try:
        if atomic is None:
            row = query.get_compiler(using=using).execute_sql(SINGLE)
        else:
            with atomic:
                row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        # As Django's own check: let the database's constraint decide on save.
        return []
    return [c for c, passed in zip(evaluated, row, strict=True) if not passed]


def validate_constraints(instance, exclude=None, using=DEFAULT_DB_ALIAS) -> None:
    """As `Model.validate_constraints`, with the check constraints in one query."""
    model = type(instance)
    exclude = set(exclude or ())
    errors: dict[str, list] = {}
    checks = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            checks.append(constraint)
            continue
        try:
            constraint.validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            fields = getattr(constraint, "fields", ())
            if getattr(error, "code", None) == "unique" and len(fields) == 1:
                errors.setdefault(fields[0], []).append(error)
            else:
                errors = error.update_error_dict(errors)
    for constraint in _violated_checks(instance, checks, exclude, using):
        error = ValidationError(
            constraint.get_violation_error_message(), code=constraint.violation_error_code
        )
        errors.setdefault(NON_FIELD_ERRORS, []).append(error)
    if errors:
        raise ValidationError(errors)
