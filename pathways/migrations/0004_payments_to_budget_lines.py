"""Each payment's free-text budget category becomes a budget line of the partner that
paid it (planned amount 0, for the manager to fill in)."""

from django.db import migrations


def to_budget_lines(apps, schema_editor):
    Payment = apps.get_model("pathways", "Payment")
    BudgetLine = apps.get_model("partners", "BudgetLine")
    for payment in Payment.objects.select_related("enrolment").iterator():
        line, _ = BudgetLine.objects.get_or_create(
            project_id=payment.enrolment.project_id,
            organisation_id=payment.paid_by_id,
            category=payment.budget_category or "—",
            defaults={"funding": payment.funding, "planned_amount": 0},
        )
        payment.budget_line = line
        payment.save(update_fields=["budget_line"])


class Migration(migrations.Migration):
    dependencies = [("pathways", "0003_payment_budget_line")]

    operations = [migrations.RunPython(to_budget_lines, migrations.RunPython.noop)]
