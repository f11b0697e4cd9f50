"""The labels of the seeded phases, criteria and targets (``0002_seed_phases``,
``0007_seed_new_clubs_active``, ``0016_seed_club_life_targets``), marked for translation (the
signer's title of the reports has its English beside it, ``ReportIssuer.signer_title_en``).

Labels are data an administrator may edit; the engine shows each through gettext, so a seeded
label reads in English in the English interface and an edited one shows as typed.
"""

from django.utils.translation import gettext_noop

SEEDED_LABELS = [
    gettext_noop("100% CLB đã thành lập duy trì hoạt động"),
    gettext_noop("100% CLB thành lập mới duy trì hoạt động"),
    gettext_noop("100% CLB có quỹ hoạt động do CLB tự quản lý"),
    gettext_noop("100% CLB có quỹ tạo thu nhập do CLB tự quản lý"),
    gettext_noop("80% CLB được tập huấn, giám sát theo quy định"),
    gettext_noop("Khoảng 1.200 CLB"),
    gettext_noop("Khoảng 2.000 CLB"),
    gettext_noop("Nghèo, cận nghèo, khó khăn từ 60% đến 70%"),
    gettext_noop("Người cao tuổi (từ 55 tuổi) ≥ 70%"),
    gettext_noop("Người cao tuổi (từ 60 tuổi) từ 60% đến 70%"),
    gettext_noop("Nữ từ 60% đến 70%"),
    gettext_noop("Thành lập mới ít nhất 3.000 CLB"),
    gettext_noop("Thành lập mới ít nhất 6.000 CLB (12.000 CLB giai đoạn 2025–2035)"),
    gettext_noop("Thành lập mới ít nhất 6.000 CLB"),
    gettext_noop("Trên 100.000 người cao tuổi"),
    gettext_noop("Từ 50 đến 70 thành viên"),
    gettext_noop("Ít nhất 100.000 thành viên"),
    gettext_noop("Ít nhất 150.000 thành viên"),
    gettext_noop("Ít nhất 20 tỉnh/thành phố"),
    gettext_noop("Ít nhất 40.000 người cao tuổi"),
    gettext_noop("Ít nhất 45 tỉnh/thành phố"),
    gettext_noop("Ít nhất 60.000 thành viên"),
    gettext_noop("Ít nhất 65.000 người cao tuổi"),
    gettext_noop("Ít nhất 95% tỉnh/thành phố có CLB"),
    gettext_noop(
        "Ít nhất 70% CLB thực hiện đủ các hoạt động và được quản lý tốt để có ít nhất 50% thành "
        "viên được vay vốn"
    ),
    gettext_noop("Được tập huấn và giám sát"),
    gettext_noop("Được vay vốn và cải thiện thu nhập ≥ 50%"),
    gettext_noop("Được vay vốn ≥ 50%"),
    gettext_noop("Giai đoạn 2016–2017"),
    gettext_noop("Giai đoạn 2018–2020"),
    gettext_noop("Giai đoạn 2021–2025"),
    gettext_noop("Giai đoạn 2025–2030"),
    gettext_noop("Giai đoạn 2031–2035"),
]
