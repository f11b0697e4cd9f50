"""Frozen figures (``reporting.snapshots``): the canonical bytes, hash and code of a tiny dict
written out by hand, a province's figures computed by hand from ``pdf_data``, freezing
(stored text, reuse, the time of the data) and what changed since."""

import base64
import datetime
import hashlib
import threading

import pytest
from django.utils import timezone

from reporting import snapshots
from reporting.models import FigureSnapshot
from tests.reporting import pdf_data


def test_canonical_bytes_hash_and_code_of_a_tiny_dict():
    figures = {"b": [1, "x"], "a": {"n": "1/3", "d": "2019-06-30"}, "t": "Hà"}
    # RFC 8785: keys sorted, no spaces, non-ASCII letters as UTF-8 (not \u escapes).
    expected = b'{"a":{"d":"2019-06-30","n":"1/3"},"b":[1,"x"],"t":"H\xc3\xa0"}'
    assert snapshots.canonical(figures) == expected
    raw = hashlib.sha256(expected).digest()
    sha, code = snapshots.digest(figures)
    assert sha == raw.hex()
    assert code == base64.b32encode(raw).decode()[:10]
    assert len(code) == 10 and code.isupper()


def test_share_and_code_normalisation():
    from fractions import Fraction

    assert snapshots.share(Fraction(19, 20)) == "19/20"
    assert snapshots.share(Fraction(2, 4)) == "1/2"
    assert snapshots.share(1) == "1/1"
    assert snapshots.normalise_code(" abcd efgh-23 ") == "ABCDEFGH23"


@pytest.fixture
def data(db, make):
    return pdf_data.build(make)


def hand_figures(total_communes):
    """Hà Giang (02, old era) at 30/06/2019, from the dataset's description: HG-A passes
    every criterion; HG-B fails women (5/10) and trained-and-monitored."""
    return {
        "format": 1,
        "scope": "pre2025:02",
        "phase": "2018-2020",
        "as_of": "2019-06-30",
        "criteria": ["older", "women", "poor", "borrowed", "trained"],
        "totals": {
            "clubs": 2,
            "members": 20,
            "older_members": 18,
            "compliant_clubs": 1,
            "loans": 10,
            "borrowers": 10,
            "passing": {"older": 2, "women": 1, "poor": 2, "borrowed": 2, "trained": 1},
        },
        "clubs": {
            "HG-A": {
                "members": 10,
                "older_members": 8,
                "women": 7,
                "poor": 6,
                "borrowers": 5,
                "loans": 5,
                "passed": ["older", "women", "poor", "borrowed", "trained"],
            },
            "HG-B": {
                "members": 10,
                "older_members": 10,
                "women": 5,
                "poor": 6,
                "borrowers": 5,
                "loans": 5,
                "passed": ["older", "poor", "borrowed"],
            },
        },
        "targets": {},
        # 80% of clubs trained and monitored; 1 of the 2 is.
        "trained": {"target": "4/5", "actual": "1/2", "measured_on": "2019-06-30"},
        "province_targets": {
            "02": {"target_clubs": 5, "clubs": 2, "target_members": 30, "members": 20}
        },
        # Both clubs are in the same commune.
        "coverage": {"communes": 1, "total": total_communes, "measured_on": "2019-06-30"},
    }


def communes_of(province):
    from clubs.models import Commune

    return Commune.objects.filter(province=province).count()


def test_province_figures_computed_by_hand(data):
    figures = snapshots.figures_for(data["ha_giang"], pdf_data.AS_OF)
    assert figures == hand_figures(communes_of(data["ha_giang"]))


def test_national_figures_list_both_provinces(data):
    figures = snapshots.figures_for(None, pdf_data.AS_OF, "2018-2020")
    assert figures["scope"] == "national"
    assert sorted(figures["clubs"]) == ["BT-C", "HG-A", "HG-B"]
    # BT-C: 4 women born 1950, none poor, no loans; passes older and trained only.
    assert figures["clubs"]["BT-C"] == {
        "members": 4,
        "older_members": 4,
        "women": 4,
        "poor": 0,
        "borrowers": 0,
        "loans": 0,
        "passed": ["older", "trained"],
    }
    assert figures["totals"]["members"] == 24
    assert figures["totals"]["passing"] == {
        "older": 3,
        "women": 1,
        "poor": 2,
        "borrowed": 2,
        "trained": 2,
    }
    assert figures["provinces"]["83"] == {
        "clubs": 1,
        "members": 4,
        "compliant_clubs": 0,
        "passing": {"older": 1, "women": 0, "poor": 0, "borrowed": 0, "trained": 1},
    }


def test_freeze_stores_the_hashed_text_and_the_time_of_the_data(data, make, board):
    before_write = timezone.now()
    make.visit(data["b"], datetime.date(2019, 6, 1))  # HG-B now monitored but not trained
    after_write = timezone.now()
    snapshot = snapshots.freeze("report", data["ha_giang"], pdf_data.AS_OF, board)
    text = snapshot.figures.encode()
    assert snapshot.sha256 == hashlib.sha256(text).hexdigest()
    assert snapshot.code == base64.b32encode(hashlib.sha256(text).digest()).decode()[:10]
    assert snapshot.scope == "pre2025:02" and snapshot.province == data["ha_giang"]
    assert snapshot.created_by == board and snapshot.phase.code == "2018-2020"
    assert before_write <= snapshot.data_time <= after_write
    # The same figures again: the snapshot first made.
    again = snapshots.freeze("report", data["ha_giang"], pdf_data.AS_OF, None)
    assert again.pk == snapshot.pk
    assert FigureSnapshot.objects.count() == 1
    # Another kind of the same figures has its own row, with the same code.
    submitted = snapshots.freeze("submission", data["ha_giang"], pdf_data.AS_OF, board)
    assert submitted.pk != snapshot.pk and submitted.code == snapshot.code


def test_freeze_refuses_figures_of_another_scope_or_era(data, board):
    figures = hand_figures(communes_of(data["ha_giang"]))
    with pytest.raises(ValueError):
        snapshots.freeze("report", data["ben_tre"], pdf_data.AS_OF, board, figures)
    new_era = data["ha_giang"].successor
    with pytest.raises(ValueError):
        snapshots.freeze("report", new_era, pdf_data.AS_OF, board)


def test_compare_says_what_changed_since(data, make, board):
    snapshot = snapshots.freeze("report", data["ha_giang"], pdf_data.AS_OF, board)
    unchanged = snapshots.compare(snapshot)
    assert unchanged.matches and unchanged.after_code == snapshot.code
    assert not unchanged.clubs_added and not unchanged.clubs_changed and not unchanged.criteria

    # HG-A gains an 11th member, a woman of 69 not poor: women 8/11 > 70%, poor 6/11 < 60%,
    # borrowed 5/11 < 50% fail; older 9/11 passes.
    make.member(data["a"], sex="female", birth_year=1950, joined_on=datetime.date(2019, 2, 1))
    # HG-B: a 6th borrower (member 6 had no loan), income not assessed.
    borrower = data["b"].members.order_by("pk")[5]
    make.loan(borrower, datetime.date(2019, 2, 1))
    # A new club of one man of 29: fails every criterion.
    new = make.club(founded_on=datetime.date(2019, 1, 1), province_code="02", code="HG-N")
    make.member(new, sex="male", birth_year=1990)

    result = snapshots.compare(snapshot)
    assert not result.matches and result.after_code != snapshot.code
    assert result.clubs_added == ["HG-N"] and result.clubs_removed == []
    assert (result.clubs.before, result.clubs.after) == (2, 3)
    assert (result.members.before, result.members.after, result.members.delta) == (20, 22, 2)
    assert (result.loans.before, result.loans.after) == (10, 11)
    assert (result.borrowers.before, result.borrowers.after) == (10, 11)
    assert (result.compliant.before, result.compliant.after) == (1, 0)
    assert {k: (c.before, c.after) for k, c in result.criteria.items()} == {
        "women": (1, 0),
        "poor": (2, 1),
        "borrowed": (2, 1),
    }
    changes = {c.code: c for c in result.clubs_changed}
    assert sorted(changes) == ["HG-A", "HG-B"]
    assert (changes["HG-A"].members.before, changes["HG-A"].members.after) == (10, 11)
    assert changes["HG-A"].lost == ["women", "poor", "borrowed"] and changes["HG-A"].gained == []
    assert (changes["HG-B"].loans.before, changes["HG-B"].loans.after) == (5, 6)
    assert changes["HG-B"].lost == [] and changes["HG-B"].gained == []
    # The trained share moved from 1/2 to 1/3, the province's cohort to 3 clubs and 22
    # members; HG-N is in the same commune, so the coverage is unchanged.
    assert result.other == ["province_targets", "trained"]
    assert result.after["trained"]["actual"] == "1/3"
    assert result.after["province_targets"]["02"] == {
        "target_clubs": 5,
        "clubs": 3,
        "target_members": 30,
        "members": 22,
    }


def test_first_of_is_the_first_frozen(data, make, board):
    first = snapshots.freeze("report", data["ha_giang"], pdf_data.AS_OF, board)
    make.member(data["a"], sex="male", birth_year=1990, joined_on=datetime.date(2019, 2, 1))
    second = snapshots.freeze("report", data["ha_giang"], pdf_data.AS_OF, board)
    assert second.pk != first.pk
    assert snapshots.first_of(second) == first and snapshots.first_of(first) == first


@pytest.mark.django_db(transaction=True)
def test_two_processes_freezing_the_same_figures_make_one_snapshot(units, make, monkeypatch):
    """Two connections freeze the same figures at once, both past the look-up before either
    inserts (the look-up finds nothing): one row, and both get it."""
    from django.db import connections

    data = pdf_data.build(make)
    figures = snapshots.figures_for(data["ha_giang"], pdf_data.AS_OF)
    manager = FigureSnapshot._default_manager

    class Racing:
        def filter(self, *args, **kwargs):
            return manager.filter(*args, **kwargs).none()

        def __getattr__(self, name):
            return getattr(manager, name)

    monkeypatch.setattr(FigureSnapshot, "objects", Racing())
    barrier = threading.Barrier(2)
    got, errors = [], []

    def freeze():
        try:
            barrier.wait(timeout=10)
            got.append(snapshots.freeze("report", data["ha_giang"], pdf_data.AS_OF, None, figures))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=freeze) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert manager.count() == 1
    assert len(got) == 2 and got[0].pk == got[1].pk
