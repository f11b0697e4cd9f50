"""A small dataset for the PDF report tests: phase 2018-2020, as of 30/06/2019 (old-era units).

Hà Giang (02):
- HG-A "CLB Đường Nguyễn Trãi", founded 01/03/2018, 10 members: 7 women, 3 men; 8 born 1950
  (aged 69, older), 2 born 1990; 6 poor; 5 with a loan disbursed 01/06/2018 whose income was
  assessed improved on 01/01/2019; trained 01/05/2018, visited 01/03/2019 → passes everything.
- HG-B "CLB Tỉnh lộ 4", founded 01/04/2018, 10 members: 5 women, 5 men, all born 1950; 6 poor;
  5 improved loans; never trained nor visited → fails women (5/10 < 60%: 3 more women or 2
  fewer men) and trained-and-monitored.
Bến Tre (83):
- BT-C "CLB Nguyễn Đình Chiểu", founded 15/01/2019, 4 women born 1950, none poor, no loans;
  trained 01/02/2019, visited 01/05/2019 → fails women (4/4 > 70%: 2 more men; no number
  of women leaving helps, 4 leaving would leave nobody), poor (0%) and borrowed (0%).
Province targets of 2018-2020: Hà Giang 5 clubs and 30 members (below), Bến Tre 1 club and 4
members (met).
"""

import datetime

from reporting.models import Phase, ProvinceTarget

AS_OF = datetime.date(2019, 6, 30)
PHASE = "2018-2020"


def build(make):
    ha_giang = make.province("pre2025", "02")
    ben_tre = make.province("pre2025", "83")
    a = make.club(
        founded_on=datetime.date(2018, 3, 1),
        province_code="02",
        code="HG-A",
        name="CLB Đường Nguyễn Trãi",
    )
    b = make.club(
        founded_on=datetime.date(2018, 4, 1), province_code="02", code="HG-B", name="CLB Tỉnh lộ 4"
    )
    c = make.club(
        founded_on=datetime.date(2019, 1, 15),
        province_code="83",
        code="BT-C",
        name="CLB Nguyễn Đình Chiểu",
    )
    loan_day, assessed = datetime.date(2018, 6, 1), datetime.date(2019, 1, 1)
    # HG-A: 7 women then 3 men; the first 8 born 1950; the first 6 poor; the first 5 borrowed.
    for i in range(10):
        m = make.member(
            a,
            sex="female" if i < 7 else "male",
            birth_year=1950 if i < 8 else 1990,
            status="poor" if i < 6 else None,
            full_name=f"Nguyễn Văn An {i}",
        )
        if i < 5:
            make.loan(m, loan_day, outcome="improved", assessed_on=assessed)
    for i in range(10):
        m = make.member(
            b, sex="female" if i < 5 else "male", birth_year=1950, status="poor" if i < 6 else None
        )
        if i < 5:
            make.loan(m, loan_day, outcome="improved", assessed_on=assessed)
    for _ in range(4):
        make.member(c, sex="female", birth_year=1950)
    make.training([a], datetime.date(2018, 5, 1))
    make.visit(a, datetime.date(2019, 3, 1))
    make.training([c], datetime.date(2019, 2, 1))
    make.visit(c, datetime.date(2019, 5, 1))
    phase = Phase.objects.get(code=PHASE)
    ProvinceTarget.objects.create(phase=phase, province=ha_giang, clubs=5, members=30)
    ProvinceTarget.objects.create(phase=phase, province=ben_tre, clubs=1, members=4)
    return {"a": a, "b": b, "c": c, "ha_giang": ha_giang, "ben_tre": ben_tre, "phase": phase}
