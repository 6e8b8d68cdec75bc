import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0004_budget_lines_and_thresholds"),
        ("pathways", "0002_seed_support_catalogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpayment",
            name="budget_line",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="partners.budgetline",
                verbose_name="budget line",
            ),
        ),
        migrations.AddField(
            model_name="payment",
            name="budget_line",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="payments",
                to="partners.budgetline",
                verbose_name="budget line",
            ),
        ),
    ]
