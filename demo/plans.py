"""Planning a demo club's members in memory: who joins and when, age, sex, household status
over time and loans, drawn from the club's ``ClubSpec`` with the command's random generator.

The planner aims inside the quality criteria's bounds (or, for a designed failure, outside
them) with exact quotas per group of members who join and leave together, so that shares hold
at every date; whether a plan comes out as designed is checked by ``demo.checks`` with the
compliance engine. Names, phones and national IDs are drawn here too.
"""

import datetime
from dataclasses import dataclass, field

from common.dates import add_months
from loans.models import IncomeOutcome, LoanKind
from members.models import HouseholdStatus, LeaveReason, Member, Sex

from .data import (
    CASH_MILLIONS,
    FAMILY_NAMES,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    IN_KIND,
    MALE_GIVEN,
    MALE_MIDDLE,
    REGIONAL_FAMILY_NAMES,
    REGIONAL_GIVEN,
)

DAY = datetime.timedelta(days=1)

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def between(rng, start, stop):
    """A random date from ``start`` to ``stop`` inclusive (``start`` if the range is empty)."""
    if stop <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (stop - start).days))


def days(n):
    return datetime.timedelta(days=n)


def birth_for_age(rng, age, on, year_only):
    """A birth (year, month, day) giving exactly ``age`` on ``on`` (1 January if year only)."""
    if year_only:
        return (on.year - age, None, None)
    latest = add_months(on, -12 * age)
    earliest = add_months(on, -12 * (age + 1)) + DAY
    born = between(rng, earliest, latest)
    return (born.year, born.month, born.day)


def weighted(rng, pairs):
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights)[0]


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
    """Exact counts of age bands among ``n`` members active at the club's end.

    Draw targets, not rules: about two thirds aged 60 or more and 71.5% aged 55 or more aim
    inside both standards' older criteria with a margin for the years members age through;
    "older" aims well below them. The criteria themselves are checked by ``demo.checks``."""
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
