"""A loan recorded as repaid (``repaid_on``) before instalments existed gets one instalment of
its full amount on that day, so its ``repaid_on`` (now kept from the instalments) is unchanged;
going back removes the instalments (``repaid_on`` stays)."""

from django.db import migrations


def forward(apps, schema_editor):
    Loan = apps.get_model("loans", "Loan")
    Repayment = apps.get_model("loans", "Repayment")
    rows = Loan.objects.filter(repaid_on__isnull=False).values_list("pk", "repaid_on", "amount_vnd")
    batch = []
    for pk, day, amount in rows.iterator(chunk_size=5000):
        batch.append(Repayment(loan_id=pk, paid_on=day, amount_vnd=amount))
        if len(batch) >= 5000:
            Repayment.objects.bulk_create(batch)
            batch = []
    Repayment.objects.bulk_create(batch)


def backward(apps, schema_editor):
    apps.get_model("loans", "Repayment").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("loans", "0004_repayments_and_funds")]

    operations = [migrations.RunPython(forward, backward)]
