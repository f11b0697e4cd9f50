"""``python manage.py seed_demo``: realistic demo data for trying the application.

Needs the migrations and ``load_units``. Creates four demo users (password ``ishc-demo-2016``)
and 28 clubs in four new-era provinces (Tuyên Quang, Quảng Trị, Vĩnh Long, Hà Nội) founded over
2016–2026, with their members, household assessments, loans and their instalments, training,
monitoring visits, meetings, activities, and the clubs' two funds with their movements.

Deterministic (``random.Random(2016)``) and idempotent: users are created only when missing, and
when the demo clubs already exist nothing else is written. Most clubs meet the quality criteria
of their phase (Decision 1533/QĐ-TTg, Article 1, §I.2 for 2016–2020; Decision 1336/QĐ-TTg, §I.2
for 2021–2025 and its copy for the phases of Decision 1648/QĐ-TTg); some are designed to fail
one (``demo.data.ClubSpec.flags``). Each club's members are drawn again until the compliance
engine finds its criteria as designed at the phase ends and today (``demo.checks``), so the demo
shows both kinds of club whatever the reports' as-of date.

The tables live in ``demo.data``, the planning of members and loans in ``demo.plans``.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from activities.models import Meeting
from clubs.models import REFORM_DATE, Club, Commune, Era, OfficerAssignment, Province
from common import formats
from common.dates import age_on, is_active, months_before
from common.signals import send_data_changed
from demo.checks import Standards, plan_as_designed
from demo.club_life import seed_club_life
from demo.data import (
    CLUBS,
    MEETING_TOPICS,
    MONITORS,
    NATIONAL_MONITOR,
    NATIONAL_SESSIONS,
    PASSWORD,
    PHONE_PREFIXES,
    PROVINCE_LETTERS,
    PROVINCE_TARGETS,
    REFRESHER_YEARS,
    REGION,
    SEED,
    URBAN_VILLAGES,
    USERS,
    VILLAGES,
    VISIT_NOTES,
    club_codes,
)
from demo.plans import national_id, person_name
from loans.models import Loan, LoanKind
from members.models import HouseholdAssessment, LeaveReason, Member, Sex, assigned_code
from reporting.issuers import national_issuer_defaults, province_issuer_defaults
from reporting.models import Phase, ProvinceTarget, ReportIssuer
from submissions import flow
from submissions.models import Period
from training.models import Attendance, MonitoringVisit, TrainingLevel, TrainingSession

D = datetime.date
DAY = datetime.timedelta(days=1)


def days(n):
    return datetime.timedelta(days=n)


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
            self.seed_issuers()
            self.seed_province_targets()
            codes = club_codes()
            existing = Club.objects.filter(code__in=codes.values()).count()
            if existing:
                self.stdout.write(f"Dữ liệu mẫu đã có ({existing} CLB mẫu); không tạo thêm gì.")
                return
            clubs = self.seed_clubs(codes)
            plans = self.seed_members(clubs)
            self.seed_training(clubs)
            self.seed_visits(clubs)
            self.seed_meetings(clubs, plans)
            self.seed_funds(clubs, plans)
            send_data_changed(Club, [c.pk for c in clubs])  # bulk_create sends no signals
            self.seed_submissions(clubs)
        self.summary(clubs, plans, (timezone.now() - started).total_seconds())

    # Users -----------------------------------------------------------------------------------

    def seed_province_targets(self):
        """The provinces' own targets (``PROVINCE_TARGETS``), each created once."""
        for phase_code, era, code, clubs, members in PROVINCE_TARGETS:
            phase = Phase.objects.filter(code=phase_code).first()
            if phase is None:
                continue
            ProvinceTarget.objects.get_or_create(
                phase=phase,
                province=Province.objects.get(era=era, code=code),
                defaults={"clubs": clubs, "members": members},
            )

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

    def seed_issuers(self):
        """The report issuers an administrator would set: the national steering board's signer
        and Tuyên Quang's provincial board (its own document symbol)."""
        if not ReportIssuer.objects.filter(province=None).exists():
            ReportIssuer.objects.create(
                **{**national_issuer_defaults(), "signer_name": "Nguyễn Văn An"}
            )
        tuyen_quang = Province.objects.get(era=Era.POST2025, code="08")
        if not ReportIssuer.objects.filter(province=tuyen_quang).exists():
            ReportIssuer.objects.create(
                province=tuyen_quang,
                **{
                    **province_issuer_defaults(tuyen_quang),
                    "issuing_body": "BAN ĐIỀU HÀNH ĐỀ ÁN TỈNH",
                    "symbol": "BC-BĐHĐA",
                    "signer_title": "PHÓ TRƯỞNG BAN",
                    "signer_title_en": "Deputy Head of the Board",
                    "signer_name": "Hoàng Thị Mai",
                },
            )

    # Clubs -----------------------------------------------------------------------------------

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
        standards = Standards()
        plans = {}
        members, ids = [], set()
        for club in clubs:
            spec = club.spec
            end = min(self.today, spec.dissolved_on or self.today)
            plan, attempts, misses = plan_as_designed(
                rng, spec, end, club.region, self.today, standards
            )
            if misses:
                self.stderr.write(f"{club.code}: tiêu chí chưa đúng thiết kế: {'; '.join(misses)}")
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
                    code=assigned_code(index),
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
                            club=m.member.club,
                            code=f"V{m.member.code.removeprefix('TV')}-{n}",
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
            age = age_on(end, *m.birth)
            if rng.random() < (0.25 if age < 60 else 0.08):
                m.phone = rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}"
            if rng.random() < 0.08:
                nid = national_id(rng, old_code, m.sex, m.birth[0])
                while nid in ids:
                    nid = national_id(rng, old_code, m.sex, m.birth[0])
                ids.add(nid)
                m.national_id = nid
        # Members still in the club on its last day (the day before a dissolution).
        last_day = end - DAY if club.dissolved_on == end else end
        staying = [m for m in plan if is_active(m.joined, m.left, last_day)]
        board_pool = [m for m in staying if 30 <= age_on(end, *m.birth) <= 80]
        for m in rng.sample(board_pool, min(len(board_pool), rng.randint(5, 9))):
            m.board = True
        carers = [m for m in staying if 30 <= age_on(end, *m.birth) <= 70]
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
            """Active at ``day`` and running for ``settled`` days: ready to send trainees."""
            return is_active(club.founded_on + days(settled), club.dissolved_on, day)

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

    def seed_meetings(self, clubs, plans):
        """A meeting on the 5th of each of the last 12 months for each club still active,
        with about four in five of its active members present."""
        rng = self.rng
        meetings = []
        for club in clubs:
            if club.spec.dissolved_on:
                continue
            for back in range(12):
                on = months_before(self.today, back).replace(day=5)
                if on > self.today or on < club.founded_on:
                    continue
                active = sum(is_active(m.joined, m.left, on) for m in plans[club.pk])
                meetings.append(
                    Meeting(
                        club=club,
                        held_on=on,
                        attendees=round(active * rng.uniform(0.7, 0.95)),
                        topics=rng.choice(MEETING_TOPICS),
                    )
                )
        Meeting.objects.bulk_create(meetings, batch_size=1000)
        self.meetings = len(meetings)

    def seed_funds(self, clubs, plans):
        """Instalments, both funds and their movements, activities by month
        (``demo.club_life.seed_club_life``)."""
        made = seed_club_life(clubs, plans, self.today)
        self.repayments, self.funds, self.movements, self.records = made

    # Summary ----------------------------------------------------------------------------------

    # Submissions -------------------------------------------------------------------------------

    def seed_submissions(self, clubs):
        """The latest reporting period that has ended: Vĩnh Long submitted and accepted by the
        board, Tuyên Quang submitted and returned with a comment on one of its clubs and one on
        its members' figure, Hà Nội submitted and waiting for review; Quảng Trị not submitted
        (late once the deadline has passed)."""
        period = Period.objects.ended_by(self.today).order_by("-ends_on").first()
        if period is None:
            return
        self.period = period
        users = {u.username: u for u in User.objects.filter(username__in=["officer", "board"])}
        officer2 = User.objects.get(username="officer2")
        admin = User.objects.get(username="admin")
        era = period.era
        by_code = {p.code: p for p in Province.objects.filter(era=era)}
        vinh_long = flow.submit(period, by_code["86"], officer2, "Số liệu đã đối chiếu sổ CLB.")
        flow.review(vinh_long.pk, users["board"], accept=True)
        tuyen_quang = flow.submit(period, by_code["08"], users["officer"])
        club = next(
            c
            for c in sorted(clubs, key=lambda c: c.code)
            if c.province.code == "08" and c.is_active_on(period.ends_on)
        )
        flow.review(
            tuyen_quang.pk,
            users["board"],
            accept=False,
            comment="Đề nghị tỉnh rà soát lại trước khi gửi lại.",
            comments=[
                (club, "", "Thiếu biên bản giám sát quý này; đề nghị bổ sung lần giám sát."),
                (None, "members", "Số thành viên thấp hơn báo cáo giấy của tỉnh 3 người."),
            ],
        )
        flow.submit(period, by_code["01"], admin, "Gửi thay Sở Y tế Hà Nội.")

    def summary(self, clubs, plans, seconds):
        today = self.today
        members = [m for plan in plans.values() for m in plan]
        active_members = [m for m in members if is_active(m.joined, m.left, today)]
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
        n = formats.number
        lines = [
            f"Đã tạo dữ liệu mẫu trong {n(round(seconds, 1))} giây "
            f"(tính đến ngày {formats.day(today)}):",
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
            f"- {n(len(members))} thành viên ({n(len(active_members))} đang sinh hoạt), "
            f"{n(sum(len(m.statuses) for m in members))} lượt đánh giá hoàn cảnh.",
            f"- {n(len(loans))} khoản vay ({n(in_kind)} bằng hiện vật), tổng "
            f"{n(sum(loan.amount for loan in loans))} đồng.",
            f"- {n(self.sessions)} lớp tập huấn, {n(self.attendances)} lượt CLB tham gia; "
            f"{n(self.visits)} lượt giám sát; {n(self.meetings)} buổi sinh hoạt hằng tháng; "
            f"{n(self.records)} lượt hoạt động theo tháng.",
            f"- {n(self.repayments)} lần trả nợ; {n(self.funds)} quỹ với {n(self.movements)} "
            "lần thu chi.",
            f"- Tài khoản: admin, board, officer (Tuyên Quang), officer2 (Vĩnh Long); "
            f"mật khẩu {PASSWORD}.",
        ]
        if getattr(self, "period", None) is not None:
            lines.append(
                f"- Số liệu {self.period.label}: Vĩnh Long đã được chấp nhận, Tuyên Quang bị trả "
                "lại kèm nhận xét, Hà Nội chờ duyệt, Quảng Trị chưa gửi."
            )
        self.stdout.write("\n".join(lines))
