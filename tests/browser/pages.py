"""Every page of the product, taken from the URL configuration, for the accessibility sweep and
the HTML validity check: each named URL is either swept (with the fixture objects that fill its
arguments) or excepted with a reason; ``tests/browser/test_accessibility.py`` checks that no
named URL is in neither list, so a new page cannot be forgotten.

The fixture objects are few and small: one club of officer's province (old Hà Giang, now
Tuyên Quang) with members, a loan, a training session and a monitoring visit; a club awaiting its
new commune; an import batch; a PDF report being prepared; figures frozen for a report; and for
each user a background import job (the job page shows only its owner's jobs)."""

import datetime
import json
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from activities.models import ActivityKind, ActivityRecord, Meeting
from loans.models import Repayment
from reporting import snapshots
from reporting.models import Phase, ProvinceTarget, ReportDocument
from spreadsheets import jobs
from spreadsheets.models import ImportJob
from spreadsheets.services import import_file
from submissions import flow
from submissions.models import Period
from tests import factories
from tests.spreadsheet_files import xlsx

#: Named URLs left out of the sweep, each with the reason.
EXCEPTED = {
    "logout": "POST only: signs the user out",
    "set_language": "POST only: sets the language and goes back to the page",
    "clubs:communes": "JSON for the commune pickers",
    "reporting:compliance_export": "file download (.csv/.xlsx)",
    "reporting:national_export": "file download (.csv/.xlsx)",
    "reporting:province_export": "file download (.csv/.xlsx)",
    "spreadsheets:template": "file download (.xlsx)",
    "spreadsheets:export": "file download (.csv/.xlsx/.ods)",
    "spreadsheets:confirm": "POST only: saves a previewed import, then redirects",
    "spreadsheets:reread": "POST only: rereads a previewed file, then shows the preview",
    "spreadsheets:cancel": "POST only: drops a previewed file, then redirects",
    "spreadsheets:batch_undo": "POST only: undoes a batch, then redirects",
    "reports:download": "file download (PDF)",
    "reports:download_docx": "file download (.docx)",
    "submissions:submit": "POST only: submits a province's figures, then redirects",
    "submissions:review": "POST only: accepts or returns (the form is on the detail page)",
    "reports:annex": "file download (.xlsx)",
    "reports:verify_figures": "file download (JSON)",
}
#: Namespaces left out whole.
EXCEPTED_NAMESPACES = {"admin": "the Django admin (third-party pages, for administrators)"}

#: The signed-in roles the sweep takes (``None``: the page is for signed-out visitors).
ROLES = ("officer", "board", "admin")


def named_urls() -> set[str]:
    """Every named URL of the URL configuration, namespaced (``"clubs:detail"``)."""
    names = set()

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def is_excepted(name: str) -> bool:
    return name in EXCEPTED or name.split(":")[0] in EXCEPTED_NAMESPACES


@dataclass
class Objects:
    users: dict
    club: object
    member: object
    loan: object
    session: object
    visit: object
    awaiting: object
    batch: object
    document: object
    period: object = None
    fund: object = None
    jobs: dict = field(default_factory=dict)
    snapshot: object = None


#: Swept named URLs: each one's arguments from the fixture objects and the signed-in user.
ARGS = {
    "home": lambda o, u: [],
    "login": lambda o, u: [],
    "password_change": lambda o, u: [],
    "password_change_done": lambda o, u: [],
    "clubs:list": lambda o, u: [],
    "clubs:create": lambda o, u: [],
    "clubs:awaiting": lambda o, u: [],
    "clubs:confirm_commune": lambda o, u: [o.awaiting.pk],
    "clubs:detail": lambda o, u: [o.club.pk],
    "clubs:edit": lambda o, u: [o.club.pk],
    "clubs:dissolve": lambda o, u: [o.club.pk],
    "members:create": lambda o, u: [o.club.pk],
    "members:quick": lambda o, u: [o.club.pk],
    "members:detail": lambda o, u: [o.member.pk],
    "members:edit": lambda o, u: [o.member.pk],
    "members:leave": lambda o, u: [o.member.pk],
    "members:transfer": lambda o, u: [o.member.pk],
    "members:assess": lambda o, u: [o.member.pk],
    "members:search": lambda o, u: [],
    "members:recertify": lambda o, u: [o.club.pk],
    "members:recertify_commune": lambda o, u: [o.club.commune_id],
    "activities:meetings": lambda o, u: [o.club.pk, 2019],
    "activities:month": lambda o, u: [o.club.pk, 2019, 6],
    "loans:overdue": lambda o, u: [],
    "loans:create": lambda o, u: [o.club.pk],
    "loans:detail": lambda o, u: [o.loan.pk],
    "loans:edit": lambda o, u: [o.loan.pk],
    "loans:grid": lambda o, u: [o.club.pk],
    "loans:funds": lambda o, u: [o.club.pk],
    "loans:fund_open": lambda o, u: [o.club.pk, "activity"],
    "loans:movement": lambda o, u: [o.fund.pk],
    "training:list": lambda o, u: [],
    "training:create": lambda o, u: [],
    "training:detail": lambda o, u: [o.session.pk],
    "training:edit": lambda o, u: [o.session.pk],
    "training:visit_create": lambda o, u: [o.club.pk],
    "training:visit_edit": lambda o, u: [o.visit.pk],
    "reporting:national": lambda o, u: [],
    "reporting:province": lambda o, u: ["08"],
    "spreadsheets:index": lambda o, u: [],
    "spreadsheets:upload": lambda o, u: [],
    "spreadsheets:job": lambda o, u: [o.jobs[u.pk].pk],
    "spreadsheets:batches": lambda o, u: [],
    "spreadsheets:batch": lambda o, u: [o.batch.pk],
    "reports:request": lambda o, u: [],
    "reports:status": lambda o, u: [o.document.pk],
    "submissions:status": lambda o, u: [],
    "submissions:detail": lambda o, u: [o.period.pk, "08"],
    "programme:phases": lambda o, u: [],
    "programme:phase": lambda o, u: ["2021-2025"],
    "programme:criteria": lambda o, u: ["2021-2025"],
    "programme:targets": lambda o, u: ["2021-2025"],
    "programme:province_targets": lambda o, u: ["2021-2025"],
    "programme:users": lambda o, u: [],
    "programme:user_create": lambda o, u: [],
    "programme:user_edit": lambda o, u: [o.users["officer"].pk],
    "reports:verify_lookup": lambda o, u: [],
    "reports:verify": lambda o, u: [o.snapshot.code],
}
#: Pages for signed-out visitors only (a signed-in user is sent on).
ANONYMOUS = {"login"}
#: The page of a URL that does not exist (swept too; the only page expected to answer 404).
NOT_FOUND = ("404", "/khong-co-trang-nay/")

MORE = ["Hộ nghèo", "01/03/2019"]
MEMBER_HEAD = [
    "Mã CLB",
    "Mã thành viên",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Hoàn cảnh",
    "Ngày tham gia",
]


#: Files sent to the import form (``spreadsheets:upload``), for its preview pages: a clean file,
#: one with bad rows and one whose name column has another header (the column mapping).
UPLOADS = {
    "preview": [MEMBER_HEAD, ["HG-001", "", "Đỗ Thị Hạnh", "Nữ", "02/09/1961", *MORE]],
    "preview-errors": [
        MEMBER_HEAD,
        ["HG-001", "", "Đỗ Thị Hạnh", "X", "02/09/1961", *MORE],
        ["HG-001", "", "Vũ Văn Long", "Nam", "31/02/1950", *MORE],
    ],
    "preview-mapping": [
        ["Tên thành viên" if h == "Họ và tên" else h for h in MEMBER_HEAD],
        ["HG-001", "", "Đỗ Thị Hạnh", "Nữ", "02/09/1961", *MORE],
    ],
}


def upload(name: str) -> bytes:
    """The .xlsx file of ``UPLOADS[name]``."""
    return xlsx(UPLOADS[name])


def build() -> Objects:
    """The users and the fixture objects (in the test's database)."""
    province = factories.province("post2025", "08")
    users = {
        "officer": factories.user(
            "officer", role="officer", provinces=[province], first_name="Cán bộ A"
        ),
        "board": factories.user("board", role="board", first_name="Ban điều hành"),
        "admin": factories.user(
            "admin", role="admin", is_staff=True, is_superuser=True, first_name="Quản trị"
        ),
    }
    club = factories.club(code="HG-001", name="CLB Hoà Bình thôn Đồng Tâm")
    members = [
        factories.member(club, full_name="Nguyễn Thị Hoà", birth_year=1948, status="poor"),
        factories.member(club, full_name="Trần Văn Nam", sex="male", status="near_poor"),
        factories.member(club, full_name="Lê Thị Mai", birth_year=1985, phone="0912345678"),
    ]
    loan = factories.loan(
        members[0],
        datetime.date(2019, 4, 2),
        outcome="improved",
        assessed_on=datetime.date(2020, 4, 2),
    )
    # the revolving fund: a contribution, the loan above, an instalment and a late in-kind loan
    fund = factories.fund(club, "revolving", datetime.date(2019, 1, 1))
    factories.movement(fund, datetime.date(2019, 3, 1), 5_000_000)
    Repayment.objects.create(loan=loan, paid_on=datetime.date(2019, 10, 2), amount_vnd=500_000)
    factories.loan(
        members[1],
        datetime.date(2019, 5, 2),
        kind="in_kind",
        amount_vnd=3_000_000,
        due_on=datetime.date(2019, 11, 2),
    )
    session = factories.training([club], datetime.date(2019, 5, 6))
    visit = factories.visit(club, datetime.date(2019, 6, 7), monitor="Cán bộ A")
    Meeting.objects.create(
        club=club, held_on=datetime.date(2019, 6, 5), attendees=2, topics="Bình xét cho vay"
    )
    ActivityRecord.objects.create(
        club=club,
        kind=ActivityKind.objects.get(code="health"),
        month=datetime.date(2019, 6, 1),
        held=True,
        participants=2,
    )
    awaiting = factories.club(
        code="HG-002",
        name="CLB Thôn Bản Phố",
        founding_commune=factories.split_old_commune("02"),
    )
    report = import_file(
        kind="members",
        content=xlsx(
            [
                MEMBER_HEAD,
                ["HG-001", "", "Phạm Thị Thu", "Nữ", "12/03/1952", "Hộ nghèo", "01/03/2019"],
            ]
        ),
        filename="ds-thanh-vien.xlsx",
        user=users["officer"],
    )
    assert report.imported, report.errors
    # The provinces' targets of 2021-2025: old Hà Giang's, shown under new Tuyên Quang.
    ProvinceTarget.objects.create(
        phase=Phase.objects.get(code="2021-2025"),
        province=factories.province("pre2025", "02"),
        clubs=120,
        members=6000,
    )
    phase = Phase.objects.containing(timezone.localdate())
    document = ReportDocument.objects.create(
        phase=phase,
        province=province,
        scope=ReportDocument.scope_of(province),
        as_of=timezone.localdate(),
        data_version="sweep",
        status=ReportDocument.Status.RUNNING,
        progress=40,
        step="Bảng tiêu chí",
        requested_by=users["officer"],
        lease_until=timezone.now() + datetime.timedelta(hours=1),
    )
    # Figures frozen today, then a member joins: the verification page shows what changed.
    snapshot = snapshots.freeze("report", province, timezone.localdate(), users["officer"])
    factories.member(club, full_name="Đỗ Thị Lan", joined_on=timezone.localdate())
    objects = Objects(
        snapshot=snapshot,
        users=users,
        club=club,
        member=members[0],
        loan=loan,
        session=session,
        visit=visit,
        awaiting=awaiting,
        batch=report.batch,
        document=document,
        # Tuyên Quang's figures for Q3/2025, submitted: the board's and administrator's page
        # shows the review form, the officer's the snapshot and the timeline.
        period=Period.objects.get(ends_on=datetime.date(2025, 9, 30)),
        fund=fund,
    )
    flow.submit(objects.period, province, users["officer"])
    for user in users.values():
        job = ImportJob.objects.create(
            user=user,
            kind="members",
            upload=f"sweep-{user.pk}.xlsx",
            file_name="ds-thanh-vien-lon.xlsx",
            mode=ImportJob.Mode.IMPORT,
            status=ImportJob.Status.RUNNING,
        )
        # Large counts, as a large file's job shows them (thousands have a separator in text).
        name = jobs._progress_name(job)
        default_storage.delete(name)
        counts = {"read": 12500, "checked": 4200, "written": 1500}
        default_storage.save(name, ContentFile(json.dumps(counts).encode()))
        objects.jobs[user.pk] = job
    return objects


def pages(objects: Objects, role: str | None) -> list[tuple[str, str]]:
    """``[(name, path)]`` of the swept pages for ``role`` (``None``: signed out)."""
    if role is None:
        return [(name, reverse(name)) for name in sorted(ANONYMOUS)]
    user = objects.users[role]
    named = [
        (name, reverse(name, args=args(objects, user)))
        for name, args in sorted(ARGS.items())
        if name not in ANONYMOUS
    ]
    return [*named, NOT_FOUND]
