"""The English line of the signer's title (``ReportIssuer.signer_title_en``), filled for rows
that kept the default title "TRƯỞNG BAN"."""

from django.db import migrations, models

from reporting.issuers import national_issuer_defaults


def fill(apps, schema_editor):
    defaults = national_issuer_defaults()
    apps.get_model("reporting", "ReportIssuer").objects.filter(
        signer_title=defaults["signer_title"], signer_title_en=""
    ).update(signer_title_en=defaults["signer_title_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0016_seed_club_life_targets"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportissuer",
            name="signer_title_en",
            field=models.CharField(
                blank=True, max_length=100, verbose_name="chức vụ người ký (tiếng Anh)"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
