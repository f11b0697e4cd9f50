"""``python manage.py seed_demo``: realistic demo data for trying the application.

Needs the migrations and ``load_units``. Creates four demo users (password ``ishc-demo-2016``)
and 28 clubs in four new-era provinces (Tuyên Quang, Quảng Trị, Vĩnh Long, Hà Nội) founded over
2016–2026, with their members, household assessments, loans, training and monitoring visits.

Deterministic (``random.Random(2016)``) and idempotent: users are created only when missing, and
when the demo clubs already exist nothing else is written. Most clubs meet the quality criteria
of DESIGN §2; some are designed to fail one (``ClubSpec.flags``). Each club's members are drawn
again until its criteria come out as designed at the phase ends and today (``member_failures``),
so the demo shows both kinds of club whatever the reports' as-of date.
"""

import calendar
import datetime
import random
from dataclasses import dataclass, field
from fractions import Fraction

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from clubs.models import REFORM_DATE, Club, Commune, Era, OfficerAssignment, Province
from common.signals import send_data_changed
from loans.models import IncomeOutcome, Loan, LoanKind
from members.models import HouseholdAssessment, HouseholdStatus, LeaveReason, Member, Sex
from reporting.models import Phase
from training.models import Attendance, MonitoringVisit, TrainingLevel, TrainingSession

SEED = 2016
PASSWORD = "ishc-demo-2016"
D = datetime.date
DAY = datetime.timedelta(days=1)

# --------------------------------------------------------------------------------------------
# What to create
# --------------------------------------------------------------------------------------------

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

# Designed failures (flags): "women" 45–52% women; "older" few older people; "poor" few poor,
# near-poor or disadvantaged (a 2016-standard criterion); "improved_low" enough borrowers but
# too few whose income improved (fails the 2016 standard only); "borrowed_low" too few
# borrowers (fails both standards); "size_small" members moved away this year, 46 left (1336
# standard, today only); "not_monitored" no visit in the last 12 months (today only);
# "not_trained" never trained (a club founded a few months ago).


@dataclass(frozen=True)
class ClubSpec:
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

USERS = [
    # username, role, last name (family and middle names), first name (given name), province
    ("admin", User.Role.ADMIN, "Nguyễn Thị Thu", "Hà", None),
    ("board", User.Role.BOARD, "Trần Quốc", "Hùng", None),
    ("officer", User.Role.OFFICER, "Nông Thị", "Hạnh", "08"),
    ("officer2", User.Role.OFFICER, "Huỳnh Thị Thanh", "Thủy", "86"),
]


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

#: Phase ends at which the designed criteria are checked, with the standard then in force.
CHECK_DATES = [(D(2017, 12, 31), "2016"), (D(2020, 12, 31), "2016"), (D(2025, 12, 31), "1336")]
FIRST_1336_PHASE = D(2021, 1, 1)

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def add_months(day, months):
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def safe_date(year, month, day):
    return D(year, month, min(day, calendar.monthrange(year, month)[1]))


def between(rng, start, stop):
    """A random date from ``start`` to ``stop`` inclusive (``start`` if the range is empty)."""
    if stop <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (stop - start).days))


def days(n):
    return datetime.timedelta(days=n)


def age_on(birth, day):
    year, month, dom = birth
    return day.year - year - ((day.month, day.day) < (month or 1, dom or 1))


def birth_for_age(rng, age, on, year_only):
    """A birth (year, month, day) giving exactly ``age`` on ``on`` (1 January if year only)."""
    if year_only:
        return (on.year - age, None, None)
    latest = safe_date(on.year - age, on.month, on.day)
    earliest = safe_date(on.year - age - 1, on.month, on.day) + DAY
    born = between(rng, earliest, latest)
    return (born.year, born.month, born.day)


def weighted(rng, pairs):
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights)[0]


def vnd(n):
    return f"{n:,}".replace(",", ".")


# --------------------------------------------------------------------------------------------
# Planning one club's members
# --------------------------------------------------------------------------------------------


@dataclass
class PlannedLoan:
    kind: str
    amount: int
    item: str
    disbursed: datetime.date
    due: datetime.date
    repaid: datetime.date | None = None
    outcome: str = ""
    assessed: datetime.date | None = None


@dataclass
class PlannedMember:
    band: str  # "O" 60+ / "M" 55–59 / "Y" under 55 at the club's end; "G" gone
    joined: datetime.date
    sex: str = Sex.FEMALE
    birth: tuple = (1950, None, None)
    left: datetime.date | None = None
    reason: str = ""
    statuses: list = field(default_factory=list)  # [(date, status)]
    loans: list = field(default_factory=list)
    board: bool = False
    volunteer: bool = False
    name: str = ""
    phone: str = ""
    national_id: str = ""
    member: Member | None = None  # the unsaved row, once built


def band_quotas(rng, n, flags):
    """Exact counts of age bands among ``n`` members active at the club's end."""
    if "older" in flags:
        n60 = round(n * rng.uniform(0.42, 0.50))
        n55 = rng.randint(1, 3)
    else:
        n60 = round(n * rng.uniform(0.625, 0.675))
        n55 = max(2, -(-n * 715 // 1000) - n60)
    return ["O"] * n60 + ["M"] * n55 + ["Y"] * (n - n60 - n55)


def plan_members(rng, spec, end, region):
    """Plan the members of one club up to ``end`` (today or the dissolution)."""
    founded, flags = spec.founded_on, spec.flags
    years_open = (end - founded).days / 365.25
    n_end = 46 if "size_small" in flags else rng.randint(54, 64)
    if years_open >= 4:
        late_share = rng.uniform(0.18, 0.25)
    elif years_open >= 1.5:
        late_share = rng.uniform(0.06, 0.12)
    else:
        late_share = rng.uniform(0, 0.05) if years_open > 0.6 else 0.0
    n_late = round(n_end * late_share)
    if years_open >= 5:
        n_gone = rng.randint(4, 7)
    elif years_open >= 2:
        n_gone = rng.randint(1, 3)
    else:
        n_gone = rng.randint(0, 1) if years_open > 0.8 else 0

    def founder_join():
        if rng.random() < 0.7:
            return founded
        return min(end, founded + days(rng.randint(1, 45)))

    late_window = (founded + days(180), end - days(45))

    def late_join():
        if late_window[1] <= late_window[0]:
            return founder_join()
        return between(rng, *late_window)

    # Members still in the club at ``end``: bands and who joined late (mostly younger people).
    stay_bands = band_quotas(rng, n_end, flags)
    rng.shuffle(stay_bands)
    young_idx = [i for i, b in enumerate(stay_bands) if b != "O"]
    old_idx = [i for i, b in enumerate(stay_bands) if b == "O"]
    young_part = 0.5 if "older" in flags else 0.8
    n_late_young = min(len(young_idx), round(n_late * young_part))
    late = set(rng.sample(young_idx, n_late_young))
    late |= set(rng.sample(old_idx, min(len(old_idx), n_late - n_late_young)))
    stayers = [
        PlannedMember(band=b, joined=late_join() if i in late else founder_join())
        for i, b in enumerate(stay_bands)
    ]
    groups = [
        [m for m in stayers if m.joined <= founded + days(45)],
        [m for m in stayers if m.joined > founded + days(45)],
    ]

    # Members who left before ``end``: mostly older people who died, some who moved away.
    gone = []
    for _ in range(n_gone):
        reason = weighted(
            rng,
            [
                (LeaveReason.DIED, 55),
                (LeaveReason.MOVED, 20),
                (LeaveReason.WITHDREW, 15),
                (LeaveReason.OTHER, 10),
            ],
        )
        joined = founder_join() if rng.random() < 0.8 else late_join()
        left = between(rng, min(joined + days(365), end - days(20)), end - days(20))
        left = max(left, joined)
        m = PlannedMember(band="G", joined=joined, left=left, reason=reason)
        age_join = rng.randint(66, 86) if reason == LeaveReason.DIED else rng.randint(35, 75)
        m.birth = birth_for_age(rng, age_join, joined, rng.random() < 0.3)
        gone.append(m)
    groups.append(gone)
    # "size_small": a group that moved away (for work, to children) during the last year.
    if "size_small" in flags:
        extra_bands = band_quotas(rng, rng.randint(8, 11), frozenset())
        extra = []
        for b in extra_bands:
            m = PlannedMember(band=b, joined=founder_join())
            m.left = between(rng, end - days(330), end - days(20))
            m.reason = weighted(
                rng, [(LeaveReason.MOVED, 50), (LeaveReason.WITHDREW, 30), (LeaveReason.DIED, 20)]
            )
            extra.append(m)
        stayers += extra
        groups.append(extra)

    # Ages of members planned by band at ``end`` (or at leaving, for the size_small group).
    for m in stayers:
        at = m.left or end
        years = (at - m.joined).days // 365
        if m.band == "O":
            low, high = max(60, 55 + years), min(97, 84 + years)
            age = low + round(rng.triangular(0, high - low, (high - low) * 0.25))
        elif m.band == "M":
            age = rng.randint(55, 59)
        else:
            low, high = weighted(rng, [((45, 54), 60), ((30, 44), 30), ((20, 29), 10)])
            age = min(54, max(rng.randint(low, high), 18 + years + 1))
        year_only_p = 0.28 if age >= 75 else 0.12 if age >= 60 else 0.04
        m.birth = birth_for_age(rng, age, at, rng.random() < year_only_p)
    members = stayers + gone

    # Sex: exact quota per group so that the share holds at every date.
    women = rng.uniform(0.45, 0.52) if "women" in flags else rng.uniform(0.625, 0.675)
    for group in groups:
        chosen = set(map(id, rng.sample(group, round(len(group) * women))))
        for m in group:
            m.sex = Sex.FEMALE if id(m) in chosen else Sex.MALE

    # Household status at joining (exact quota per group) and some later re-assessments.
    poor = rng.uniform(0.40, 0.46) if "poor" in flags else rng.uniform(0.625, 0.675)
    for group in groups:
        chosen = set(map(id, rng.sample(group, round(len(group) * poor))))
        for m in group:
            limit = m.left or end
            on = min(limit, m.joined + days(rng.randint(0, 14)))
            if id(m) in chosen:
                status = weighted(
                    rng,
                    [
                        (HouseholdStatus.POOR, 40),
                        (HouseholdStatus.NEAR_POOR, 30),
                        (HouseholdStatus.DISADVANTAGED, 30),
                    ],
                )
            elif rng.random() < 0.12:
                continue  # never assessed: counts as not poor
            else:
                status = HouseholdStatus.NONE
            m.statuses.append((on, status))
            if (limit - m.joined).days >= 420 and rng.random() < 0.18:
                later = between(
                    rng, m.joined + days(365), min(limit - days(30), m.joined + days(4 * 365))
                )
                m.statuses.append((later, reassess(rng, status)))

    # Loans: exact quotas of borrowers whose income improved and of other borrowers.
    if "borrowed_low" in flags:
        improved = rng.uniform(0.18, 0.26)
        borrowers = improved + rng.uniform(0.06, 0.12)
    elif "improved_low" in flags:
        improved, borrowers = rng.uniform(0.28, 0.36), rng.uniform(0.60, 0.66)
    else:
        improved = rng.uniform(0.55, 0.60)
        borrowers = improved + rng.uniform(0.03, 0.07)
    for group in groups:
        eligible = [m for m in group if ((m.left or end) - m.joined).days >= 300]
        k_improved = min(len(eligible), round(len(group) * improved))
        chosen = rng.sample(eligible, k_improved)
        chosen_ids = set(map(id, chosen))
        rest = [
            m for m in group if id(m) not in chosen_ids and ((m.left or end) - m.joined).days >= 45
        ]
        k_other = min(len(rest), max(0, round(len(group) * borrowers) - k_improved))
        for m in chosen:
            plan_improved_loans(rng, m, m.left or end, region)
        for m in rng.sample(rest, k_other):
            plan_other_loan(rng, m, m.left or end, region, flags)
    return members


def reassess(rng, status):
    """A later household status: some escape poverty, some fall into hardship."""
    options = {
        HouseholdStatus.POOR: [(HouseholdStatus.NEAR_POOR, 50), (HouseholdStatus.NONE, 50)],
        HouseholdStatus.NEAR_POOR: [(HouseholdStatus.NONE, 60), (HouseholdStatus.POOR, 40)],
        HouseholdStatus.DISADVANTAGED: [(HouseholdStatus.NONE, 50), (HouseholdStatus.POOR, 50)],
        HouseholdStatus.NONE: [
            (HouseholdStatus.DISADVANTAGED, 50),
            (HouseholdStatus.NEAR_POOR, 30),
            (HouseholdStatus.POOR, 20),
        ],
    }
    return weighted(rng, options[status])


def loan_terms(rng, region):
    if rng.random() < 0.65:
        return LoanKind.CASH, int(rng.choice(CASH_MILLIONS) * 1_000_000), ""
    item, low, high = rng.choice(IN_KIND[region])
    tenths = rng.randint(round(low * 10), round(high * 10))  # hundreds of thousands
    return LoanKind.IN_KIND, tenths * 100_000, item


def new_loan(rng, region, disbursed, limit, outcome="", assessed=None, repayable=True):
    kind, amount, item = loan_terms(rng, region)
    term = rng.choice((12, 18, 24)) if kind == LoanKind.CASH else rng.choice((18, 24, 36))
    loan = PlannedLoan(
        kind,
        amount,
        item,
        disbursed,
        add_months(disbursed, term),
        outcome=outcome,
        assessed=assessed,
    )
    if repayable and loan.due <= limit:
        r = rng.random()
        if r < 0.8:
            loan.repaid = between(rng, max(disbursed + days(90), loan.due - days(45)), loan.due)
        elif r < 0.92 and loan.due + days(75) <= limit:
            loan.repaid = loan.due + days(rng.randint(1, 75))
    elif repayable and disbursed + days(120) < limit and rng.random() < 0.05:
        loan.repaid = between(rng, disbursed + days(120), limit)  # repaid early
    return loan


def plan_improved_loans(rng, m, limit, region):
    """A first loan soon after joining whose income outcome, assessed within the year, is
    "improved"; for some, a second loan after repaying the first."""
    disbursed = m.joined + days(rng.randint(15, 60))
    assessed = disbursed + days(rng.randint(150, 240))
    first = new_loan(rng, region, disbursed, limit, IncomeOutcome.IMPROVED, assessed)
    m.loans.append(first)
    if first.repaid and first.repaid + days(90) <= limit and rng.random() < 0.4:
        second_on = first.repaid + days(rng.randint(7, 60))
        if second_on + days(240) <= limit:
            outcome = IncomeOutcome.IMPROVED if rng.random() < 0.75 else IncomeOutcome.NOT_IMPROVED
            m.loans.append(
                new_loan(
                    rng, region, second_on, limit, outcome, second_on + days(rng.randint(150, 240))
                )
            )
        else:
            m.loans.append(new_loan(rng, region, second_on, limit))


def plan_other_loan(rng, m, limit, region, flags):
    """A loan that does not (yet) show improved income: not improved, overdue with no
    assessment, or too recent to assess."""
    span = (limit - m.joined).days
    options = [("pending", 2 if "improved_low" not in flags else 1)]
    if span >= 300:
        options.append(("not_improved", 4))
    if span >= 420:
        options.append(("overdue", 3))
    kind = weighted(rng, options)
    if kind == "not_improved":
        disbursed = between(rng, m.joined + days(15), limit - days(240))
        assessed = disbursed + days(rng.randint(150, min(240, (limit - disbursed).days)))
        m.loans.append(
            new_loan(rng, region, disbursed, limit, IncomeOutcome.NOT_IMPROVED, assessed)
        )
    elif kind == "overdue":
        disbursed = between(rng, m.joined + days(15), limit - days(400))
        loan = new_loan(rng, region, disbursed, limit, repayable=False)
        loan.due = add_months(disbursed, 12)
        m.loans.append(loan)
    else:
        disbursed = between(rng, max(m.joined + days(15), limit - days(150)), limit - days(10))
        disbursed = max(disbursed, m.joined)
        m.loans.append(new_loan(rng, region, disbursed, limit, repayable=False))


# --------------------------------------------------------------------------------------------
# The criteria the plan is checked against (DESIGN §2; the seeded 2016 and 1336 standards)
# --------------------------------------------------------------------------------------------

POOR_SET = {HouseholdStatus.POOR, HouseholdStatus.NEAR_POOR, HouseholdStatus.DISADVANTAGED}


def member_failures(members, day, standard):
    """The member-based criteria (size, women, older, poor, borrowed) failed at ``day``."""
    active = [m for m in members if m.joined <= day and (m.left is None or m.left > day)]
    n = len(active)
    if not n:
        return {"size", "women", "older", "poor", "borrowed"}

    def within(count, low, high=None):
        share = Fraction(count, n)
        return share >= low and (high is None or share <= high)

    fails = set()
    if standard == "1336" and not 50 <= n <= 70:
        fails.add("size")
    if not within(sum(m.sex == Sex.FEMALE for m in active), Fraction(6, 10), Fraction(7, 10)):
        fails.add("women")
    if standard == "2016":
        older_ok = within(sum(age_on(m.birth, day) >= 55 for m in active), Fraction(7, 10))
    else:
        older_ok = within(
            sum(age_on(m.birth, day) >= 60 for m in active), Fraction(6, 10), Fraction(7, 10)
        )
    if not older_ok:
        fails.add("older")
    if standard == "2016":
        poor = 0
        for m in active:
            dated = [s for s in m.statuses if s[0] <= day]
            poor += bool(dated) and max(dated)[1] in POOR_SET
        if not within(poor, Fraction(6, 10), Fraction(7, 10)):
            fails.add("poor")
    improved_only = standard == "2016"
    borrowed = sum(
        any(
            loan.disbursed <= day
            and (
                not improved_only
                or (loan.outcome == IncomeOutcome.IMPROVED and loan.assessed <= day)
            )
            for loan in m.loans
        )
        for m in active
    )
    if not within(borrowed, Fraction(1, 2)):
        fails.add("borrowed")
    return fails


def expected_failures(flags, day, standard, today):
    expected = set()
    if "women" in flags:
        expected.add("women")
    if "older" in flags:
        expected.add("older")
    if "poor" in flags and standard == "2016":
        expected.add("poor")
    if "borrowed_low" in flags or ("improved_low" in flags and standard == "2016"):
        expected.add("borrowed")
    if "size_small" in flags and standard == "1336" and day == today:
        expected.add("size")
    return expected


def checks_for(spec, today):
    """(date, standard) pairs at which the club's criteria must come out as designed."""

    def active(day):
        return spec.founded_on <= day and (spec.dissolved_on is None or spec.dissolved_on > day)

    pairs = [
        (day, std)
        for day, std in CHECK_DATES
        if day <= today and day >= spec.founded_on + days(365) and active(day)
    ]
    if active(today):
        pairs.append((today, "1336"))
        if spec.founded_on < FIRST_1336_PHASE:
            pairs.append((today, "2016"))  # the standard of the club's own phase
    return pairs


def plan_as_designed(rng, spec, end, region, today, tries=300):
    """Draw members until the club's criteria come out as designed at every check date, with
    50–70 active members at each (46 today for "size_small"). Returns (plan, tries, misses)."""
    checks = checks_for(spec, today)
    attempt = 0
    while attempt < tries:
        attempt += 1
        plan = plan_members(rng, spec, end, region)
        misses = []
        for day, standard in checks:
            fails = member_failures(plan, day, standard)
            if fails != expected_failures(spec.flags, day, standard, today):
                misses.append((day, standard, sorted(fails)))
            size = sum(m.joined <= day and (m.left is None or m.left > day) for m in plan)
            if not 50 <= size <= 70 and not ("size_small" in spec.flags and day == today):
                misses.append((day, "size", size))
        if not misses:
            break
    return plan, attempt, misses


# --------------------------------------------------------------------------------------------
# Names, phones and IDs
# --------------------------------------------------------------------------------------------


def person_name(rng, sex, region):
    family = weighted(rng, FAMILY_NAMES + REGIONAL_FAMILY_NAMES.get(region, []))
    extra_f, extra_m = REGIONAL_GIVEN.get(region, ([], []))
    if sex == Sex.FEMALE:
        middle = "Thị" if rng.random() < 0.7 else rng.choice(FEMALE_MIDDLE)
        given = rng.choice(FEMALE_GIVEN + extra_f)
    else:
        middle = "Văn" if rng.random() < 0.62 else rng.choice(MALE_MIDDLE)
        given = rng.choice(MALE_GIVEN + extra_m)
    return f"{family} {middle} {given}"


def national_id(rng, old_province, sex, birth_year):
    century = 0 if birth_year < 2000 else 2
    gender_century = century + (sex == Sex.FEMALE)
    serial = rng.randint(0, 999_999)
    return f"{int(old_province):03d}{gender_century}{birth_year % 100:02d}{serial:06d}"


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu (tài khoản, CLB, thành viên, khoản vay, tập huấn, giám sát) để dùng "
        "thử. Chạy lại không tạo trùng."
    )

    def handle(self, *args, verbosity=1, **options):
        if not Province.objects.filter(era=Era.POST2025).exists():
            raise CommandError("Chưa có danh mục đơn vị hành chính: hãy chạy load_units trước.")
        started = timezone.now()
        self.verbosity = verbosity
        self.today = timezone.localdate()
        self.rng = random.Random(SEED)
        with transaction.atomic():
            self.seed_users()
            codes = self.club_codes()
            existing = Club.objects.filter(code__in=codes.values()).count()
            if existing:
                self.stdout.write(f"Dữ liệu mẫu đã có ({existing} CLB mẫu); không tạo thêm gì.")
                return
            clubs = self.seed_clubs(codes)
            plans = self.seed_members(clubs)
            self.seed_training(clubs)
            self.seed_visits(clubs)
            send_data_changed(Club, [c.pk for c in clubs])  # bulk_create sends no signals
        self.summary(clubs, plans, (timezone.now() - started).total_seconds())

    # Users -----------------------------------------------------------------------------------

    def seed_users(self):
        for username, role, last_name, first_name, province_code in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    role=role,
                    first_name=first_name,
                    last_name=last_name,
                    is_staff=role == User.Role.ADMIN,
                    is_superuser=role == User.Role.ADMIN,
                )
                user.set_password(PASSWORD)
                user.save()
                self.stdout.write(f"Tạo tài khoản {username} ({user.get_role_display()}).")
            elif self.verbosity >= 2:
                self.stdout.write(f"Tài khoản {username} đã có, giữ nguyên.")
            if province_code and user.role == User.Role.OFFICER:
                province = Province.objects.get(era=Era.POST2025, code=province_code)
                OfficerAssignment.objects.get_or_create(user=user, province=province)

    # Clubs -----------------------------------------------------------------------------------

    def club_codes(self):
        """Spec index -> club code: province letters, founding year, number in that year."""
        codes, counter = {}, {}
        for i, spec in enumerate(CLUBS):
            key = (spec.province, spec.founded_on.year)
            counter[key] = counter.get(key, 0) + 1
            codes[i] = f"{PROVINCE_LETTERS[spec.province]}-{key[1]}-{counter[key]:03d}"
        return codes

    def seed_clubs(self, codes):
        rng = self.rng
        provinces = {(p.era, p.code): p for p in Province.objects.all()}
        used_communes, used_villages, clubs = set(), set(), []
        for i, spec in enumerate(CLUBS):
            if spec.founded_on > self.today - days(60):
                self.stdout.write(f"Bỏ qua CLB {codes[i]}: thành lập chưa đủ 60 ngày.")
                continue
            if spec.founded_on < REFORM_DATE:
                old = provinces[(Era.PRE2025, spec.old_province)]
                region = REGION[spec.old_province]
                founding = self.pick_old_commune(old, spec.split, used_communes)
                club = Club(founding_commune=founding)
                commune_name = founding.name
            else:
                new = provinces[(Era.POST2025, spec.province)]
                region = REGION[spec.province]
                old = None
                commune = rng.choice(
                    [
                        c
                        for c in new.communes.filter(name__startswith="Xã ").order_by("code")
                        if c.pk not in used_communes
                    ]
                )
                used_communes.add(commune.pk)
                club = Club(commune=commune)
                commune_name = commune.name
            if commune_name.startswith("Xã "):
                village = rng.choice([v for v in VILLAGES[region] if v not in used_villages])
            else:
                village = rng.choice([v for v in URBAN_VILLAGES[region] if v not in used_villages])
            used_villages.add(village)
            club.code = codes[i]
            club.name = f"CLB Liên thế hệ tự giúp nhau {village}"
            club.village = village
            club.founded_on = spec.founded_on
            club.dissolved_on = spec.dissolved_on
            club.derive_units()
            club.clean()
            club.save()
            club.spec, club.region, club.old_province = spec, region, old
            clubs.append(club)
        return clubs

    def pick_old_commune(self, old_province, split, used):
        """A real old-era commune of ``old_province``: one that went whole into one new
        commune, or (``split``) one split across several. Splits of a commune whose name another
        old commune of the same new province shares are left out: the source's conversion table
        is keyed by name, so those "splits" may be two communes conflated."""
        communes = (
            Commune.objects.filter(era=Era.PRE2025, province=old_province)
            .annotate(n_new=Count("successions"))
            .order_by("code")
        )
        if split:
            same_name = set(
                Commune.objects.filter(
                    era=Era.PRE2025, province__successor=old_province.successor_id
                )
                .values("name")
                .annotate(n=Count("id"))
                .filter(n__gt=1)
                .values_list("name", flat=True)
            )
            candidates = [c for c in communes.filter(n_new__gt=1) if c.name not in same_name]
        else:
            candidates = list(communes.filter(n_new=1, name__startswith="Xã "))
        candidates = [c for c in candidates if c.pk not in used] or candidates
        commune = self.rng.choice(candidates)
        used.add(commune.pk)
        return commune

    # Members, assessments, loans ------------------------------------------------------------

    def seed_members(self, clubs):
        rng = self.rng
        plans = {}
        members, ids = [], set()
        for club in clubs:
            spec = club.spec
            end = min(self.today, spec.dissolved_on or self.today)
            plan, attempts, mismatches = plan_as_designed(rng, spec, end, club.region, self.today)
            if mismatches:
                self.stderr.write(f"{club.code}: tiêu chí chưa đúng thiết kế: {mismatches}")
            if spec.dissolved_on:
                for m in plan:
                    if m.left is None:
                        m.left, m.reason = spec.dissolved_on, LeaveReason.OTHER
            self.finish_members(club, plan, end, ids)
            plans[club.pk] = plan
            if self.verbosity >= 2:
                flags = ", ".join(sorted(spec.flags)) or "đạt"
                self.stdout.write(f"{club.code}: {flags} (lần thử {attempts})")
            for index, m in enumerate(sorted(plan, key=lambda p: p.joined), start=1):
                year, month, dom = m.birth
                member = Member(
                    club=club,
                    code=f"{index:03d}",
                    full_name=m.name,
                    sex=m.sex,
                    birth_year=year,
                    birth_month=month,
                    birth_day=dom,
                    joined_on=m.joined,
                    left_on=m.left,
                    leave_reason=m.reason if m.left else "",
                    is_board_member=m.board,
                    is_home_care_volunteer=m.volunteer,
                    national_id=m.national_id,
                    phone=m.phone,
                )
                member.normalise()
                m.member = member
                members.append(member)
        Member.objects.bulk_create(members, batch_size=500)

        assessments, loans = [], []
        for plan in plans.values():
            for m in plan:
                for on, status in sorted(set(m.statuses)):
                    assessments.append(
                        HouseholdAssessment(member=m.member, assessed_on=on, status=status)
                    )
                for n, loan in enumerate(sorted(m.loans, key=lambda x: x.disbursed), start=1):
                    loans.append(
                        Loan(
                            member=m.member,
                            code=f"V{m.member.code}-{n}",
                            kind=loan.kind,
                            amount_vnd=loan.amount,
                            item=loan.item,
                            disbursed_on=loan.disbursed,
                            due_on=loan.due,
                            repaid_on=loan.repaid,
                            income_outcome=loan.outcome,
                            outcome_assessed_on=loan.assessed,
                        )
                    )
        HouseholdAssessment.objects.bulk_create(assessments, batch_size=1000)
        Loan.objects.bulk_create(loans, batch_size=1000)
        return plans

    def finish_members(self, club, plan, end, ids):
        """Names, board, home-care volunteers, phones and national IDs."""
        rng = self.rng
        old_code = club.spec.old_province or club.spec.province
        names = set()
        for m in plan:
            name = person_name(rng, m.sex, club.region)
            while name in names:
                name = person_name(rng, m.sex, club.region)
            names.add(name)
            m.name = name
            age = age_on(m.birth, end)
            if rng.random() < (0.25 if age < 60 else 0.08):
                m.phone = rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}"
            if rng.random() < 0.08:
                nid = national_id(rng, old_code, m.sex, m.birth[0])
                while nid in ids:
                    nid = national_id(rng, old_code, m.sex, m.birth[0])
                ids.add(nid)
                m.national_id = nid
        staying = [m for m in plan if m.left is None or m.left >= end]
        board_pool = [m for m in staying if 30 <= age_on(m.birth, end) <= 80]
        for m in rng.sample(board_pool, min(len(board_pool), rng.randint(5, 9))):
            m.board = True
        carers = [m for m in staying if 30 <= age_on(m.birth, end) <= 70]
        women = [m for m in carers if m.sex == Sex.FEMALE]
        men = [m for m in carers if m.sex == Sex.MALE]
        for m in rng.sample(women, min(len(women), rng.randint(2, 4))):
            m.volunteer = True
        for m in rng.sample(men, min(len(men), rng.randint(0, 1))):
            m.volunteer = True

    # Training and monitoring -----------------------------------------------------------------

    def seed_training(self, clubs):
        rng = self.rng
        provinces = {p.code: p for p in Province.objects.filter(era=Era.POST2025)}
        trainable = [c for c in clubs if "not_trained" not in c.spec.flags]

        def active(club, day, settled=60):
            return club.founded_on + days(settled) <= day and (
                club.dissolved_on is None or club.dissolved_on > day
            )

        sessions = []  # (code, level, held_on, title, province, [(club, participants)])
        for code, level, held_on, title in NATIONAL_SESSIONS:
            if held_on > self.today:
                continue
            share = 0.5 if level == TrainingLevel.MODEL else 0.15
            attendees = [
                (c, rng.randint(2, 4) if level == TrainingLevel.MODEL else rng.randint(1, 2))
                for c in trainable
                if active(c, held_on) and rng.random() < share
            ]
            sessions.append((code, level, held_on, title, None, attendees))
        # Each province trains the boards of the clubs founded in a year soon after.
        by_year = {}
        for c in trainable:
            by_year.setdefault((c.spec.province, c.founded_on.year), []).append(c)
        for (province, year), group in sorted(by_year.items()):
            held_on = max(c.founded_on for c in group) + days(rng.randint(30, 75))
            if held_on > self.today:
                continue
            sessions.append(
                (
                    f"TH-{PROVINCE_LETTERS[province]}-{year}-01",
                    TrainingLevel.PROVINCIAL,
                    held_on,
                    f"Tập huấn Ban Chủ nhiệm các CLB LTHTGN thành lập năm {year}",
                    provinces[province],
                    [(c, rng.randint(3, 6)) for c in group],
                )
            )
        # Refresher courses for the clubs already running.
        for province in PROVINCE_LETTERS:
            for year in REFRESHER_YEARS:
                held_on = D(year, rng.randint(3, 9), rng.randint(1, 28))
                if held_on > self.today:
                    continue
                attendees = [
                    (c, rng.randint(2, 5))
                    for c in trainable
                    if c.spec.province == province
                    and active(c, held_on, 90)
                    and rng.random() < 0.65
                ]
                if attendees:
                    sessions.append(
                        (
                            f"TH-{PROVINCE_LETTERS[province]}-{year}-02",
                            TrainingLevel.PROVINCIAL,
                            held_on,
                            f"Tập huấn nâng cao năng lực Ban Chủ nhiệm CLB năm {year}",
                            provinces[province],
                            attendees,
                        )
                    )
        attendances = []
        for code, level, held_on, title, province, attendees in sessions:
            session, _ = TrainingSession.objects.get_or_create(
                code=code,
                defaults={"title": title, "held_on": held_on, "level": level, "province": province},
            )
            attendances += [
                Attendance(session=session, club=c, participants=n) for c, n in attendees
            ]
        Attendance.objects.bulk_create(attendances)
        self.sessions, self.attendances = len(sessions), len(attendances)

    def seed_visits(self, clubs):
        rng = self.rng
        visits = []
        for club in clubs:
            spec = club.spec
            stop = (spec.dissolved_on - DAY) if spec.dissolved_on else self.today
            last = None
            if "not_monitored" in spec.flags:  # the last visit 13–16 months ago
                last = self.today - days(rng.randint(400, 480))
                stop = last
            on = club.founded_on + days(rng.randint(90, 180))
            while on <= stop:
                monitor = (
                    NATIONAL_MONITOR if rng.random() < 0.1 else rng.choice(MONITORS[spec.province])
                )
                visits.append(
                    MonitoringVisit(
                        club=club, visited_on=on, monitor=monitor, notes=rng.choice(VISIT_NOTES)
                    )
                )
                next_on = on + days(rng.randint(150, 330))  # within 12 months of the last one
                on = last if last and on < last < next_on else next_on
        MonitoringVisit.objects.bulk_create(visits, batch_size=1000)
        self.visits = len(visits)

    # Summary ----------------------------------------------------------------------------------

    def summary(self, clubs, plans, seconds):
        today = self.today
        members = [m for plan in plans.values() for m in plan]
        active_members = [m for m in members if m.left is None or m.left > today]
        loans = [loan for m in members for loan in m.loans]
        in_kind = sum(loan.kind == LoanKind.IN_KIND for loan in loans)
        active = [c for c in clubs if c.is_active_on(today)]
        awaiting = sum(c.commune_id is None for c in clubs)
        phases = {}
        for club in clubs:
            phase = Phase.objects.containing(club.founded_on)
            key = phase.code if phase else "?"
            phases[key] = phases.get(key, 0) + 1
        by_province = {}
        for club in clubs:
            by_province[str(club.province)] = by_province.get(str(club.province), 0) + 1
        lines = [
            f"Đã tạo dữ liệu mẫu trong {seconds:.1f} giây (tính đến ngày {today:%d/%m/%Y}):",
            "- {} CLB ({} đang hoạt động, {} đã giải thể, {} chờ xác nhận xã/phường hiện nay); "
            "theo tỉnh: {}.".format(
                len(clubs),
                len(active),
                len(clubs) - len(active),
                awaiting,
                ", ".join(f"{k} {v}" for k, v in by_province.items()),
            ),
            "- Theo giai đoạn thành lập: {}.".format(
                ", ".join(f"{k}: {v}" for k, v in sorted(phases.items()))
            ),
            f"- {vnd(len(members))} thành viên ({vnd(len(active_members))} đang sinh hoạt), "
            f"{vnd(sum(len(m.statuses) for m in members))} lượt đánh giá hoàn cảnh.",
            f"- {vnd(len(loans))} khoản vay ({vnd(in_kind)} bằng hiện vật), tổng "
            f"{vnd(sum(loan.amount for loan in loans))} đồng.",
            f"- {self.sessions} lớp tập huấn, {self.attendances} lượt CLB tham gia; "
            f"{vnd(self.visits)} lượt giám sát.",
            f"- Tài khoản: admin, board, officer (Tuyên Quang), officer2 (Vĩnh Long); "
            f"mật khẩu {PASSWORD}.",
        ]
        self.stdout.write("\n".join(lines))
