"""A loan belongs to the club whose fund lent it; its code is unique within that club."""

import django.db.models.deletion
from django.db import migrations, models


def fill_clubs(apps, schema_editor):
    Loan = apps.get_model("loans", "Loan")
    Member = apps.get_model("members", "Member")
    Loan.objects.update(
        club_id=models.Subquery(
            Member.objects.filter(pk=models.OuterRef("member_id")).values("club_id")[:1]
        )
    )


def fill_history(apps, schema_editor):
    HistoricalLoan = apps.get_model("loans", "HistoricalLoan")
    Member = apps.get_model("members", "Member")
    HistoricalLoan.objects.update(
        club_id=models.Subquery(
            Member.objects.filter(pk=models.OuterRef("member_id")).values("club_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clubs", "0001_initial"),
        ("loans", "0001_initial"),
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="loan", name="loan_code_unique"),
        migrations.AddField(
            model_name="loan",
            name="club",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="loans",
                to="clubs.club",
                verbose_name="CLB",
            ),
        ),
        migrations.AddField(
            model_name="historicalloan",
            name="club",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="clubs.club",
                verbose_name="CLB",
            ),
        ),
        migrations.RunPython(fill_clubs, migrations.RunPython.noop),
        migrations.RunPython(fill_history, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="loan",
            name="club",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="loans",
                to="clubs.club",
                verbose_name="CLB",
            ),
        ),
        migrations.AddConstraint(
            model_name="loan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("code", ""), _negated=True),
                fields=("club", "code"),
                name="loan_code_unique_in_club",
            ),
        ),
        migrations.AddIndex(
            model_name="loan",
            index=models.Index(fields=["club", "disbursed_on"], name="loans_loan_club_id_dce181_idx"),
        ),
    ]
