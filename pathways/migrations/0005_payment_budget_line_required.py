import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("pathways", "0004_payments_to_budget_lines")]

    operations = [
        migrations.RemoveField(model_name="historicalpayment", name="budget_category"),
        migrations.RemoveField(model_name="payment", name="budget_category"),
        migrations.AlterField(
            model_name="payment",
            name="budget_line",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="payments",
                to="partners.budgetline",
                verbose_name="budget line",
            ),
        ),
    ]
