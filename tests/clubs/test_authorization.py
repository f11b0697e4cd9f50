"""The authorization matrix of the officers' workspace: every URL of the workspace's
namespaces × {anonymous, officer of A, officer of B, board member, administrator} × {GET, POST}.

The URL list is read from the resolver, so a new URL that this file does not describe fails
``test_every_workspace_url_is_in_the_matrix``.
"""

import datetime

import pytest
from django.urls import get_resolver, reverse

from clubs.models import Club
from submissions.models import Period, Status, Submission
from tests import factories
from training.models import TrainingSession

NAMESPACES = ("clubs", "members", "loans", "training", "activities", "submissions", "programme")

# How each URL behaves. "read": a page (GET only). "object_read"/"object_write": a page of one
# object of province A (B gets 404). "create": a write with no object (B cannot create into A).
# "object_read_write": a page of one object that the board reads and writers change.
# "admin": administrators only (everyone else 403, GET and POST). "read_create": a page the
# board reads (its POST 403) and writers create from (B cannot create into A).
SPEC = {
    "home": ("read", None),
    "clubs:list": ("read", None),
    "clubs:create": ("create", None),
    "clubs:communes": ("object_read", None),
    "clubs:awaiting": ("read", None),
    "clubs:confirm_commune": ("object_write", "awaiting_club"),
    "clubs:detail": ("object_read", "club"),
    "clubs:edit": ("object_write", "club"),
    "clubs:dissolve": ("object_write", "club"),
    "members:search": ("read", None),
    "members:create": ("object_write", "club"),
    "members:quick": ("object_write", "club"),
    "members:detail": ("object_read", "member"),
    "members:edit": ("object_write", "member"),
    "members:leave": ("object_write", "member"),
    "members:transfer": ("object_write", "member"),
    "members:assess": ("object_write", "member"),
    "members:recertify": ("object_write", "club"),
    "members:recertify_commune": ("object_write", "commune"),
    "activities:meetings": ("object_read_write", "club"),
    "activities:month": ("object_read_write", "club"),
    "loans:overdue": ("read", None),
    "loans:create": ("object_write", "club"),
    "loans:detail": ("object_read", "loan"),
    "loans:edit": ("object_write", "loan"),
    "loans:grid": ("object_write", "club"),
    "loans:funds": ("object_read", "club"),
    "loans:fund_open": ("object_write", "club"),
    "loans:movement": ("object_write", "fund"),
    "training:list": ("read", None),
    "training:create": ("create", None),
    "training:detail": ("object_read", "session"),
    "training:edit": ("object_write", "session"),
    "training:visit_create": ("object_write", "club"),
    "training:visit_edit": ("object_write", "visit"),
    # Submissions: everyone signed in reads the status of the provinces they see; a province's
    # page is read by its officers, the board and administrators; "submit" is its officers'
    # and administrators' (never the board's); "review" the board's and administrators'.
    "submissions:status": ("read", None),
    "submissions:detail": ("object_read", "period"),
    "submissions:submit": ("submit", "period"),
    "submissions:review": ("review", "period"),
    "programme:phases": ("read", None),
    "programme:phase": ("read", None),
    "programme:criteria": ("admin", None),
    "programme:targets": ("admin", None),
    "programme:province_targets": ("read_create", None),
    "programme:users": ("admin", None),
    "programme:user_create": ("admin", None),
    "programme:user_edit": ("admin", None),
}

ROLES = ("anonymous", "officer_a", "officer_b", "board", "admin_user")


def workspace_url_names():
    resolver = get_resolver()
    names = {"home"}
    for namespace in NAMESPACES:
        _prefix, sub = resolver.namespace_dict[namespace]
        names |= {f"{namespace}:{p.name}" for p in sub.url_patterns}
    return names


def test_every_workspace_url_is_in_the_matrix():
    assert workspace_url_names() == set(SPEC)


@pytest.fixture
def world(province_a, province_b):
    """One of everything in province A (names unique enough to search for leaks), and a club
    in province B."""
    club = factories.club(code="A-LEAK-1", name="CLB Hoà Bình Alphaleak", province_code="02")
    split = factories.split_old_commune("02") or factories.split_old_commune("08")
    awaiting = Club.objects.create(
        code="A-LEAK-2",
        name="CLB Chờ Xã Alphaleak",
        founded_on=datetime.date(2019, 5, 1),
        founding_commune=split,
    )
    assert awaiting.commune_id is None and awaiting.province_id == province_a.pk
    member = factories.member(club, full_name="Nguyễn Thị Alphaleak")
    loan = factories.loan(member, datetime.date(2024, 3, 1))
    session = factories.training(
        [club], datetime.date(2024, 4, 1), province=province_a, title="Lớp Alphaleak"
    )
    visit = factories.visit(club, datetime.date(2024, 5, 1))
    fund = factories.fund(club, "revolving")
    club_b = factories.club(code="B-1", name="CLB Bến Tre Beta", province_code="83")
    assert club.province_id == province_a.pk and club_b.province_id == province_b.pk
    period = Period.objects.get(ends_on=datetime.date(2025, 9, 30))
    return {
        "period": period,
        "user_edited": factories.user("edited_officer", provinces=[province_a]),
        "club": club,
        "awaiting_club": awaiting,
        "member": member,
        "loan": loan,
        "session": session,
        "visit": visit,
        "fund": fund,
        "commune": club.commune,
        "club_b": club_b,
        "province_a": province_a,
    }


def url_for(name, world):
    kind, obj = SPEC[name]
    if name == "clubs:communes":
        return reverse(name) + f"?province={world['province_a'].pk}&era=post2025"
    phase_pages = ("programme:phase", "programme:criteria", "programme:targets")
    if name in (*phase_pages, "programme:province_targets"):
        return reverse(name, args=["2021-2025"])
    if name == "programme:user_edit":
        return reverse(name, args=[world["user_edited"].pk])
    if obj is None:
        return reverse(name)
    if name.startswith("submissions:"):
        return reverse(name, args=[world["period"].pk, "08"])
    if name == "activities:meetings":
        return reverse(name, kwargs={"club_pk": world[obj].pk, "year": 2024})
    if name == "activities:month":
        return reverse(name, kwargs={"club_pk": world[obj].pk, "year": 2024, "month": 6})
    if name == "loans:fund_open":
        return reverse(name, kwargs={"club_pk": world[obj].pk, "kind": "activity"})
    pattern_kwargs = {
        "loans:grid": "club_pk",
        "loans:funds": "club_pk",
        "loans:movement": "fund_pk",
        "members:recertify": "club_pk",
        "members:recertify_commune": "commune_pk",
        "members:create": "club_pk",
        "members:quick": "club_pk",
        "loans:create": "club_pk",
        "training:visit_create": "club_pk",
    }
    return reverse(name, kwargs={pattern_kwargs.get(name, "pk"): world[obj].pk})


def create_payload(name, world):
    """A POST that tries to create into province A."""
    commune = factories.new_commune("08")
    if name == "programme:province_targets":
        # Old Hà Giang (02), in new Tuyên Quang: A's, in the units of 2021-2025.
        return {"province": factories.province("pre2025", "02").pk, "clubs": 9}
    if name == "clubs:create":
        return {
            "code": "NEW-INTO-A",
            "name": "CLB xâm nhập",
            "founded_on": "01/09/2025",
            "province": world["province_a"].pk,
            "commune": commune.pk,
        }
    return {
        "code": "NEW-INTO-A",
        "title": "Lớp xâm nhập",
        "held_on": "01/09/2025",
        "level": "provincial",
        "province": world["province_a"].pk,
        "clubs": [world["club"].pk],
        "club_codes": "A-LEAK-1",
    }


def created(name):
    if name == "programme:province_targets":
        from reporting.models import ProvinceTarget

        return ProvinceTarget.objects.filter(clubs=9).exists()
    if name == "clubs:create":
        return Club.objects.filter(code="NEW-INTO-A").exists()
    return TrainingSession.objects.filter(code="NEW-INTO-A").exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(SPEC))
def test_matrix(client, request, world, role, name):
    kind, _obj = SPEC[name]
    url = url_for(name, world)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    get = client.get(url)
    payload = create_payload(name, world) if kind in ("create", "read_create") else {}
    post = client.post(url, payload)

    if role == "anonymous":
        for response in (get, post):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login") + "?next=")
        return

    if kind in ("submit", "review"):
        check_submission_step(kind, role, get, post, world)
        return
    if kind == "admin":
        if role == "admin_user":
            assert get.status_code == 200
            assert post.status_code in (200, 302, 405)
        else:
            assert (get.status_code, post.status_code) == (
                403,
                403 if name != "programme:users" else 405,
            )
        return
    if kind == "read_create" and role == "board":
        assert (get.status_code, post.status_code) == (200, 403)
        return
    if kind == "read_create":
        kind = "create"
    if kind == "object_read_write" and role == "board":
        assert (get.status_code, post.status_code) == (200, 403)
        return
    if kind == "object_read_write":
        kind = "object_write"
    writes = kind in ("object_write", "create")
    if role == "board" and writes:
        assert (get.status_code, post.status_code) == (403, 403)
        return
    if role == "officer_b" and kind == "object_write":
        assert (get.status_code, post.status_code) == (404, 404)
        return
    if role == "officer_b" and kind == "object_read":
        # Pages only answer GET: the POST is refused before any lookup, revealing nothing.
        assert (get.status_code, post.status_code) == (404, 405)
        return

    assert get.status_code == 200
    if not writes:
        assert post.status_code == 405
    elif kind == "create" and role == "officer_b":
        # The form refuses province A (not among B's choices): re-shown, nothing created.
        assert post.status_code == 200
        assert post.context["form"].errors
        assert not created(name)
    else:
        # An empty or partial POST is re-shown with errors, or (confirm, create) accepted.
        assert post.status_code in (200, 302)
        if post.status_code == 200:
            assert post.context["form"].errors or post.context.get("formset") is not None


def check_submission_step(kind, role, get, post, world):
    """``submit``: the province's officers and administrators submit (GET: 405), the board
    never (403), another province's officer finds nothing (404). ``review``: the board and
    administrators only (an empty POST re-shows the form; officers: 403)."""
    submission = Submission.objects.filter(period=world["period"]).first()
    if kind == "submit":
        if role == "board":
            assert (get.status_code, post.status_code) == (403, 403)
        elif role == "officer_b":
            assert (get.status_code, post.status_code) == (405, 404)
            assert submission is None
        else:
            assert (get.status_code, post.status_code) == (405, 302)
            assert submission.status == Status.SUBMITTED
        return
    if role in ("officer_a", "officer_b"):
        assert (get.status_code, post.status_code) == (405, 403)
    else:
        assert (get.status_code, post.status_code) == (405, 404)  # nothing submitted yet


def test_the_board_reviews_a_submission_and_an_officer_cannot(client, world, officer_a, board):
    from submissions import flow

    flow.submit(world["period"], world["province_a"], officer_a)
    url = reverse("submissions:review", args=[world["period"].pk, "08"])
    client.force_login(officer_a)
    assert client.post(url, {"decision": "accept"}).status_code == 403
    client.force_login(board)
    assert client.post(url, {}).status_code == 200  # no decision: the form again
    assert client.post(url, {"decision": "accept"}).status_code == 302
    assert Submission.objects.get().status == Status.ACCEPTED


LEAK_PAGES = [
    ("home", {}),
    ("clubs:list", {}),
    ("clubs:list", {"q": "alphaleak"}),
    ("clubs:list", {"q": "hoa binh"}),
    ("clubs:list", {"status": "active", "compliant": "no"}),
    ("clubs:awaiting", {}),
    ("training:list", {}),
    ("loans:overdue", {}),
]


@pytest.mark.parametrize(("name", "params"), LEAK_PAGES)
def test_nothing_of_a_leaks_to_b(client, world, officer_b, name, params):
    client.force_login(officer_b)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Alphaleak" not in text and "A-LEAK" not in text


def test_b_counts_only_its_own_clubs(client, world, officer_b, officer_a):
    client.force_login(officer_b)
    home = client.get(reverse("home"))
    # B has one active club (B-1), which fails (no members): counted once, A's two are not.
    assert home.context["active_clubs"] == 1
    assert home.context["failing_count"] == 1
    assert home.context["awaiting_count"] == 0
    listing = client.get(reverse("clubs:list"))
    assert listing.context["page"].paginator.count == 1
    client.force_login(officer_a)
    assert client.get(reverse("clubs:list")).context["page"].paginator.count == 2
    assert client.get(reverse("home")).context["awaiting_count"] == 1


def test_b_cannot_add_a_club_code_of_a_to_its_session(client, world, officer_b, province_b):
    client.force_login(officer_b)
    response = client.post(
        reverse("training:create"),
        {
            "code": "B-S",
            "title": "Lớp B",
            "held_on": "01/09/2025",
            "level": "provincial",
            "province": province_b.pk,
            "club_codes": "A-LEAK-1 NO-SUCH",
        },
    )
    assert response.status_code == 200
    # The error names both codes alike: it does not reveal that A-LEAK-1 exists.
    assert response.context["form"].errors["club_codes"] == [
        "Không tìm thấy CLB mã: A-LEAK-1, NO-SUCH."
    ]


def test_officer_with_admin_access_is_scoped_there_too(client, world, officer_a, officer_b):
    """Officers work in the workspace (not staff); one given admin access still sees only
    their provinces' clubs in the admin, through ``ScopedAdminMixin``."""
    from django.contrib.auth.models import Permission

    officer_b.is_staff = True
    officer_b.save()
    officer_b.user_permissions.add(Permission.objects.get(codename="view_club"))
    client.force_login(officer_b)
    response = client.get(reverse("admin:clubs_club_changelist"))
    assert response.status_code == 200
    assert [c.code for c in response.context["cl"].result_list] == ["B-1"]
    change = client.get(reverse("admin:clubs_club_change", args=[world["club"].pk]))
    assert change.status_code in (302, 404)
