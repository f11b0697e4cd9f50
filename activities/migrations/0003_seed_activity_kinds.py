"""The activity kinds of the scheme (Decision 1533/QĐ-TTg, the clubs' activities), as data the
administrator may edit later."""

from django.db import migrations

KINDS = [
    ("planning", "Lập kế hoạch hoạt động", "Planning", False),
    ("income", "Tạo thu nhập, cho vay vốn", "Income generation and lending", False),
    ("culture", "Văn hóa, văn nghệ, thể dục thể thao", "Culture and sport", False),
    ("health", "Chăm sóc sức khỏe", "Health care", False),
    ("community", "Hỗ trợ cộng đồng", "Community support", False),
    ("home_care", "Tình nguyện viên chăm sóc tại nhà", "Home-care volunteers", True),
    ("resources", "Huy động nguồn lực", "Resource mobilisation", False),
    ("rights", "Bảo vệ quyền lợi", "Rights protection", False),
    ("communication", "Truyền thông", "Communication", False),
]


def seed(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    for order, (code, name, name_en, counts_visits) in enumerate(KINDS, start=1):
        ActivityKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "order": order,
                "counts_visits": counts_visits,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_activity_kinds_and_records")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
