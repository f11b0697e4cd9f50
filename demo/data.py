"""What the demo creates: its users, its 28 clubs (``CLUBS``) with their designed failures, and
the tables names, villages, loans, training sessions and monitoring visits are drawn from.

Designed failures (``ClubSpec.flags``), each a quality criterion the club is meant to fail (the
criteria are the phases' rows: Decision 1533/QĐ-TTg, Article 1, §I.2 for 2016–2020, Decision
1336/QĐ-TTg, §I.2 for 2021–2025, copied for the phases of Decision 1648/QĐ-TTg):

- ``women``: 45–52% women (the women criterion of every standard);
- ``older``: few older people (the older criterion of every standard, whatever its age);
- ``poor``: few poor, near-poor or disadvantaged members (a criterion of the 1533 standard);
- ``improved_low``: enough borrowers but too few whose income improved (fails only a borrowed
  criterion that requires an improved income, the 1533 standard's);
- ``borrowed_low``: too few borrowers (fails the borrowed criterion of every standard);
- ``size_small``: members moved away this year, 46 left (the club-size criterion of the 1336
  standard, today only);
- ``not_monitored``: no monitoring visit in the last 12 months (today only);
- ``not_trained``: never trained (a club founded a few months ago).
"""

import datetime
from dataclasses import dataclass

from accounts.models import User
from training.models import TrainingLevel

SEED = 2016
PASSWORD = "ishc-demo-2016"
D = datetime.date

#: New-era province code -> letters of club codes.
PROVINCE_LETTERS = {"08": "TQ", "44": "QT", "86": "VL", "01": "HN"}

#: Old-era province code -> region (names, villages, loans in kind).
REGION = {
    "02": "north",
    "08": "north",
    "44": "centre",
    "45": "centre",
    "83": "south",
    "86": "south",
    "01": "hanoi",
}


@dataclass(frozen=True)
class ClubSpec:
    """One demo club: where and when it is founded, and the criteria it is designed to fail."""

    province: str  # new-era province code
    old_province: str | None  # old-era province code; None for clubs founded from 1 July 2025
    founded_on: datetime.date
    flags: frozenset = frozenset()
    split: bool = False  # founded in an old commune that was split: waits for confirmation
    dissolved_on: datetime.date | None = None


def _spec(province, old, founded, *flags, split=False, dissolved=None):
    return ClubSpec(province, old, founded, frozenset(flags), split, dissolved)


CLUBS = [
    # Tuyên Quang (new 08): old Hà Giang (02) and old Tuyên Quang (08). Officer "officer".
    _spec("08", "02", D(2016, 4, 12)),
    _spec("08", "02", D(2016, 6, 20), split=True),
    _spec("08", "08", D(2017, 3, 8), "older"),
    _spec("08", "02", D(2018, 5, 15)),
    _spec("08", "08", D(2019, 3, 26), "not_monitored", split=True),
    _spec("08", "02", D(2021, 4, 10)),
    _spec("08", "08", D(2023, 8, 18), "women"),
    _spec("08", None, D(2025, 9, 10)),
    _spec("08", None, D(2026, 8, 20), "borrowed_low", "not_trained"),
    # Quảng Trị (new 44): old Quảng Bình (44) and old Quảng Trị (45).
    _spec("44", "44", D(2016, 5, 5), dissolved=D(2022, 3, 31)),
    _spec("44", "45", D(2017, 1, 16), "improved_low"),
    _spec("44", "45", D(2019, 7, 22)),
    _spec("44", "44", D(2022, 5, 12)),
    _spec("44", "45", D(2024, 3, 19), "borrowed_low"),
    _spec("44", None, D(2025, 10, 8)),
    # Vĩnh Long (new 86): old Bến Tre (83) and old Vĩnh Long (86). Officer "officer2".
    _spec("86", "83", D(2016, 8, 9)),
    _spec("86", "86", D(2017, 2, 14), split=True),
    _spec("86", "83", D(2018, 4, 3), "not_monitored"),
    _spec("86", "86", D(2020, 1, 15), dissolved=D(2026, 4, 30)),
    _spec("86", "83", D(2021, 3, 30), "size_small"),
    _spec("86", "86", D(2022, 10, 5)),
    _spec("86", None, D(2025, 7, 15)),  # after the reform but still in phase 2021-2025
    _spec("86", None, D(2026, 1, 12)),
    # Hà Nội (01).
    _spec("01", "01", D(2016, 10, 20)),
    _spec("01", "01", D(2018, 9, 10), "poor", split=True),
    _spec("01", "01", D(2020, 2, 25)),
    _spec("01", "01", D(2024, 6, 5)),
    _spec("01", None, D(2025, 11, 20)),
]

#: The provinces' own targets (their schemes' clubs and members founded in the phase), in the
#: units of each phase's first day: 2021-2025 by the old provinces (Tuyên Quang's page sums old
#: Hà Giang and old Tuyên Quang), 2025-2030 by the new ones. Phase, era, province code, clubs,
#: members.
PROVINCE_TARGETS = [
    ("2021-2025", "pre2025", "02", 2, 60),
    ("2021-2025", "pre2025", "08", 2, 50),
    ("2021-2025", "pre2025", "83", 2, 60),
    ("2021-2025", "pre2025", "86", 1, 30),
    ("2025-2030", "post2025", "08", 3, 90),
    ("2025-2030", "post2025", "86", 3, 90),
]

USERS = [
    # username, role, last name (family and middle names), first name (given name), province
    ("admin", User.Role.ADMIN, "Nguyễn Thị Thu", "Hà", None),
    ("board", User.Role.BOARD, "Trần Quốc", "Hùng", None),
    ("officer", User.Role.OFFICER, "Nông Thị", "Hạnh", "08"),
    ("officer2", User.Role.OFFICER, "Huỳnh Thị Thanh", "Thủy", "86"),
]


def club_codes():
    """Spec index -> club code: province letters, founding year, number in that year."""
    codes, counter = {}, {}
    for i, spec in enumerate(CLUBS):
        key = (spec.province, spec.founded_on.year)
        counter[key] = counter.get(key, 0) + 1
        codes[i] = f"{PROVINCE_LETTERS[spec.province]}-{key[1]}-{counter[key]:03d}"
    return codes


def _words(text, sep=None):
    return [w.strip() for w in text.split(sep) if w.strip()]


def _weights(text):
    """ "Nguyễn:38 Trần:11" -> [("Nguyễn", 38.0), ("Trần", 11.0)]"""
    return [(w.split(":")[0], float(w.split(":")[1])) for w in text.split()]


# Villages are free text (no national code list); rural ones by region, urban ones for wards.
VILLAGES = {
    "north": _words(
        "thôn Nà Khương|thôn Nà Hán|bản Lũng Pù|thôn Bản Mạ|thôn Khuổi Luông|thôn Nà Rầy|"
        "thôn Đồng Bèn|thôn Làng Chẵng|thôn Khuôn Khoai|xóm Cầu Cháy",
        "|",
    ),
    "centre": _words(
        "thôn Phú Hội|thôn Tân Định|thôn Cổ Trai|thôn An Xá|thôn Lệ Xuyên|thôn Hà Thanh|"
        "thôn Tường Vân",
        "|",
    ),
    "south": _words(
        "ấp Phú Long|ấp Bình Thạnh|ấp Tân Quới|ấp An Hòa|ấp Mỹ Thuận|ấp Long Hưng|ấp Phước Hậu|"
        "ấp Thanh Lợi",
        "|",
    ),
    "hanoi": _words("thôn Đông|thôn Yên Nội|xóm Chợ|thôn Thượng|thôn Hạ", "|"),
}
URBAN_VILLAGES = {
    "north": _words("tổ dân phố Tân Hà|tổ dân phố 5", "|"),
    "centre": _words("khu phố 3|khu phố 6", "|"),
    "south": _words("khóm 2|khóm 4", "|"),
    "hanoi": _words("tổ dân phố số 7|tổ dân phố số 12", "|"),
}

FAMILY_NAMES = _weights(
    "Nguyễn:38 Trần:11 Lê:9 Phạm:7 Hoàng:3 Huỳnh:2 Phan:4 Vũ:3 Võ:2 Đặng:2 Bùi:2 Đỗ:2 Hồ:1.5 "
    "Ngô:1.5 Dương:1.5 Lý:1"
)
REGIONAL_FAMILY_NAMES = {
    "north": _weights("Nông:8 Hoàng:6 Ma:3 Triệu:2 Lục:1.5 Hà:2 Vàng:1.5 Giàng:1 Sùng:1"),
    "centre": _weights("Lê:5 Hồ:3 Võ:4 Phan:3 Trương:2"),
    "south": _weights("Huỳnh:6 Võ:5 Trương:2 Lâm:2"),
    "hanoi": _weights("Vũ:2 Đỗ:2"),
}
FEMALE_MIDDLE = _words("Ngọc Thu Kim Thanh Hồng Bích Xuân Minh Mỹ")
MALE_MIDDLE = _words("Đức Minh Quang Hữu Công Đình Xuân Ngọc Thanh Quốc Bá")
# Both spellings of "Hoà"/"Hòa" and "Thuỷ"/"Thủy", and "Đường", show diacritic-free search.
FEMALE_GIVEN = _words(
    "Lan Hoa Hồng Huệ Mai Đào Cúc Nga Hằng Hương Liên Loan Nhung Thảo Thuỷ Thủy Hoà Hòa Tâm "
    "Yến Xuân Phượng Hạnh Vân Bích Lụa Nhàn Sen Tuyết Nguyệt Oanh Dung Hiền Thơm Mận Lý Hà Chi "
    "Trang Ngân Thắm"
)
MALE_GIVEN = _words(
    "Hùng Dũng Minh Tuấn Nam Bình Hoà Hòa Đường Sơn Thắng Lợi Quang Hải Phúc Thành Tùng Long "
    "Cường Hiếu Trung Khánh Tiến Toàn Chiến Thịnh Vinh Đức Hưng Lâm Tài Phong Hậu Khải"
)
REGIONAL_GIVEN = {  # (women, men)
    "north": (_words("Mỷ Dợ Pà"), _words("Páo Sính Chứ")),
    "south": (_words("Út Lệ Mến"), _words("Tư Năm Sáu Bảy Út")),
}
PHONE_PREFIXES = _words("098 097 096 091 094 088 086 083 081 070 077 079 039 038 035 033")

CASH_MILLIONS = [1, 1.5, 2, 2, 2.5, 3, 3, 4, 5, 5, 6, 7, 8, 10]
# Loans in kind: item, lowest and highest value in millions of VND.
IN_KIND = {
    "north": [
        ("1 con bê giống", 9, 12),
        ("2 con lợn giống", 3, 4),
        ("1 con dê giống", 2.5, 3.5),
        ("10 con gà giống", 0.8, 1.2),
        ("giống ngô lai (20 kg)", 1.2, 1.6),
    ],
    "centre": [
        ("1 con bê", 8, 11),
        ("giống lúa (50 kg)", 0.9, 1.2),
        ("2 con lợn giống", 3, 4),
        ("50 con vịt giống", 1.2, 1.8),
        ("10 con gà giống", 0.8, 1.2),
    ],
    "south": [
        ("100 con vịt giống", 2.5, 3.5),
        ("giống lúa (100 kg)", 1.8, 2.4),
        ("50 cây giống bưởi da xanh", 2, 3),
        ("1 con bò giống", 10, 12),
        ("2 con lợn giống", 3, 4),
    ],
    "hanoi": [
        ("10 con gà giống", 0.8, 1.2),
        ("2 con lợn giống", 3, 4),
        ("1 máy khâu", 3, 4.5),
        ("giống rau và phân bón", 1, 1.5),
    ],
}

MONITORS = {
    "08": ["Nông Thị Hạnh (cán bộ tỉnh)", "Ma Văn Thịnh (Hội NCT tỉnh)"],
    "44": ["Lê Văn Thanh (Hội NCT tỉnh)", "Hoàng Thị Lý (Sở Y tế)"],
    "86": ["Huỳnh Thị Thanh Thủy (cán bộ tỉnh)", "Trần Văn Tư (Hội NCT tỉnh)"],
    "01": ["Đỗ Thị Thu Hà (Hội NCT thành phố)", "Nguyễn Quang Vinh (Hội NCT thành phố)"],
}
NATIONAL_MONITOR = "Đoàn giám sát Trung ương Hội NCT Việt Nam"
VISIT_NOTES = [
    "Sinh hoạt định kỳ hằng tháng đều đặn; quỹ quay vòng hoạt động tốt.",
    "Cần bổ sung sổ theo dõi vốn vay và biên bản họp Ban Chủ nhiệm.",
    "Nhóm tình nguyện viên thăm hỏi, chăm sóc tại nhà các cụ ốm yếu thường xuyên.",
    "Câu lạc bộ đề nghị bổ sung vốn cho quỹ phát triển sinh kế.",
    "Hoạt động văn hóa, văn nghệ, thể dục dưỡng sinh sôi nổi.",
    "Một số khoản vay quá hạn, Ban Chủ nhiệm đã đôn đốc trả nợ.",
    "",
    "",
]

MEETING_TOPICS = [
    "Bình xét cho vay vòng mới; thu hồi các khoản đến hạn.",
    "Kế hoạch thăm hỏi thành viên ốm; phân công tình nguyện viên.",
    "Tập thể dục dưỡng sinh; đo huyết áp cho người cao tuổi.",
    "Báo cáo thu chi quỹ hoạt động; đóng góp hằng tháng.",
    "Tuyên truyền chính sách bảo hiểm y tế cho người cao tuổi.",
    "Chuẩn bị văn nghệ mừng ngày Người cao tuổi Việt Nam.",
]

NATIONAL_SESSIONS = [
    (
        "TH-TW-2016-01",
        TrainingLevel.TOT,
        D(2016, 3, 22),
        "Tập huấn giảng viên nguồn về mô hình CLB Liên thế hệ tự giúp nhau",
    ),
    (
        "TH-TW-2016-02",
        TrainingLevel.MODEL,
        D(2016, 11, 15),
        "Tập huấn mẫu về thành lập và quản lý CLB Liên thế hệ tự giúp nhau",
    ),
    ("TH-TW-2018-01", TrainingLevel.TOT, D(2018, 6, 12), "Tập huấn giảng viên giai đoạn 2018–2020"),
    (
        "TH-TW-2019-01",
        TrainingLevel.MODEL,
        D(2019, 8, 20),
        "Tập huấn mẫu về quản lý quỹ quay vòng và phát triển sinh kế",
    ),
    (
        "TH-TW-2021-01",
        TrainingLevel.TOT,
        D(2021, 10, 5),
        "Tập huấn giảng viên triển khai Quyết định 1336/QĐ-TTg (trực tuyến)",
    ),
    (
        "TH-TW-2023-01",
        TrainingLevel.MODEL,
        D(2023, 5, 16),
        "Tập huấn mẫu về chăm sóc sức khỏe và chăm sóc tại nhà",
    ),
    (
        "TH-TW-2025-01",
        TrainingLevel.TOT,
        D(2025, 10, 14),
        "Tập huấn giảng viên triển khai Quyết định 1648/QĐ-TTg",
    ),
]
REFRESHER_YEARS = (2019, 2022, 2024, 2026)
