"""Every member has a code: members stored without one get the next assigned code of their
club (``TV<n>``, ``members.models.free_codes``), in joining order."""

from django.db import migrations

from members.models import free_codes


def assign(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    clubs = Member.objects.filter(code="").values_list("club_id", flat=True).distinct()
    for club_id in list(clubs):
        taken = set(Member.objects.filter(club_id=club_id).values_list("code", flat=True))
        wanting = list(Member.objects.filter(club_id=club_id, code="").order_by("joined_on", "pk"))
        for member, code in zip(wanting, free_codes(taken, len(wanting)), strict=True):
            member.code = code
        Member.objects.bulk_update(wanting, ["code"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("members", "0002_member_note")]

    operations = [migrations.RunPython(assign, migrations.RunPython.noop)]
