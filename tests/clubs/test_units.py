"""The administrative units of both eras, loaded by ``load_units``."""

from io import StringIO

import pytest
from django.core.management import call_command

from clubs.models import Commune, CommuneSuccession, District, Era, Province

pytestmark = pytest.mark.django_db


def test_counts_match_the_official_totals():
    assert Province.objects.filter(era=Era.PRE2025).count() == 63
    assert District.objects.count() == 696
    assert Commune.objects.filter(era=Era.PRE2025).count() == 10_035
    assert Province.objects.filter(era=Era.POST2025).count() == 34
    assert Commune.objects.filter(era=Era.POST2025).count() == 3_321


def test_every_old_province_maps_to_exactly_one_new_province():
    old = Province.objects.filter(era=Era.PRE2025)
    assert not old.filter(successor__isnull=True).exists()
    assert not old.exclude(successor__era=Era.POST2025).exists()
    # Every new province received at least one old one.
    assert Province.objects.filter(era=Era.POST2025, predecessors__isnull=True).count() == 0


@pytest.mark.parametrize(
    ("old_name", "new_name"),
    [("Hà Giang", "Tuyên Quang"), ("Thái Bình", "Hưng Yên"), ("Bến Tre", "Vĩnh Long")],
)
def test_named_mergers(old_name, new_name):
    old = Province.objects.get(era=Era.PRE2025, short_name=old_name)
    assert old.successor.short_name == new_name


def test_codes_are_reused_with_new_meanings():
    assert Province.objects.get(era=Era.PRE2025, code="24").short_name == "Bắc Giang"
    assert Province.objects.get(era=Era.POST2025, code="24").short_name == "Bắc Ninh"


def test_every_old_commune_went_somewhere_in_its_provinces_successor():
    old = Commune.objects.filter(era=Era.PRE2025)
    assert not old.filter(successions__isnull=True).exists()
    wrong = CommuneSuccession.objects.exclude(new__province=models_F_successor())
    assert wrong.count() == 0
    split = old.filter(successions__is_default=False).distinct().count()
    assert split > 400  # about 441 by the official count; the source lists 471


def models_F_successor():
    from django.db.models import F

    return F("old__province__successor")


def test_loading_twice_changes_nothing():
    before = (
        Province.objects.count(),
        District.objects.count(),
        Commune.objects.count(),
        CommuneSuccession.objects.count(),
    )
    out = StringIO()
    call_command("load_units", stdout=out)
    assert "Mới nạp: 0 tỉnh, 0 huyện, 0 xã, 0 liên kết" in out.getvalue()
    after = (
        Province.objects.count(),
        District.objects.count(),
        Commune.objects.count(),
        CommuneSuccession.objects.count(),
    )
    assert before == after
