"""Create forms do one thing however often they are posted: the page's token is claimed once,
through a unique constraint, in the transaction that creates the record (a double click, two
tabs, two POSTs at the same moment on PostgreSQL)."""

import datetime
import re
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from members.models import Member
from tests import factories

MEMBER = {
    "full_name": "Ma Thị Hoa",
    "sex": "female",
    "birth": "1952",
    "joined_on": "15/03/2018",
    "status": "poor",
    "code": "",
}


def token_of(page) -> str:
    return re.search(r'name="submission" value="([0-9a-f]+)"', page.content.decode()).group(1)


@pytest.mark.django_db
def test_the_member_form_posted_twice_adds_one_member(client, province_a, officer_a):
    club = factories.club(code="C-1", founded_on=datetime.date(2018, 1, 1))
    client.force_login(officer_a)
    url = reverse("members:create", args=[club.pk])
    data = {**MEMBER, "submission": token_of(client.get(url))}
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert first["Location"] == reverse("clubs:detail", args=[club.pk])
    assert second.redirect_chain[0][0] == first["Location"]
    assert "đã được gửi và lưu trước đó" in second.content.decode()
    assert Member.objects.filter(club=club).count() == 1


@pytest.mark.django_db
def test_a_form_shown_again_with_errors_keeps_its_token(client, province_a, officer_a):
    club = factories.club(code="C-1", founded_on=datetime.date(2018, 1, 1))
    client.force_login(officer_a)
    url = reverse("members:create", args=[club.pk])
    token = token_of(client.get(url))
    refused = client.post(url, {**MEMBER, "birth": "31/02/1952", "submission": token})
    assert token_of(refused) == token
    assert client.post(url, {**MEMBER, "submission": token}).status_code == 302
    assert Member.objects.count() == 1


@pytest.mark.django_db
def test_the_loan_club_and_visit_forms_posted_twice_create_once(client, province_a, officer_a):
    club = factories.club(code="C-1", founded_on=datetime.date(2018, 1, 1))
    member = factories.member(club, code="TV1")
    client.force_login(officer_a)
    loan_url = reverse("loans:create", args=[club.pk])
    loan = {"member": member.pk, "kind": "cash", "amount_vnd": "2.000.000"}
    loan |= {"disbursed_on": "01/03/2019", "code": "", "submission": token_of(client.get(loan_url))}
    client.post(loan_url, loan)
    client.post(loan_url, loan)
    assert member.loans.count() == 1
    visit_url = reverse("training:visit_create", args=[club.pk])
    visit = {"visited_on": "01/04/2019", "monitor": "Trần Văn Giám", "notes": ""}
    visit["submission"] = token_of(client.get(visit_url))
    client.post(visit_url, visit)
    client.post(visit_url, visit)
    assert club.monitoring_visits.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_posts_of_one_page_at_the_same_moment_add_one_member(units):
    officer = factories.user("officer_t", provinces=[factories.province("post2025", "08")])
    club = factories.club(code="C-7", founded_on=datetime.date(2018, 1, 1))
    url = reverse("members:create", args=[club.pk])
    clients = [Client(), Client()]
    for c in clients:
        c.force_login(officer)
    data = {**MEMBER, "submission": token_of(clients[0].get(url))}
    barrier = threading.Barrier(2)
    statuses = []

    def post(c):
        try:
            barrier.wait(timeout=30)
            statuses.append(c.post(url, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302, 302], statuses
    assert Member.objects.filter(club=club).count() == 1, list(Member.objects.values("code"))


@pytest.mark.django_db
def test_a_post_whose_twin_saved_while_its_form_was_checked_follows_the_twin(
    client, province_a, officer_a, monkeypatch
):
    """The race behind a double click: the second POST passes the token check, then the
    first one saves before the second's form is validated, which now meets the first's
    member as a namesake. The second POST goes where the first went, with no warning and no
    second member."""
    from accounts.submissions import Submission
    from members import forms as member_forms

    club = factories.club(code="C-9", founded_on=datetime.date(2018, 1, 1))
    client.force_login(officer_a)
    url = reverse("members:create", args=[club.pk])
    token = token_of(client.get(url))
    detail = reverse("clubs:detail", args=[club.pk])
    clean = member_forms.MemberForm.clean

    def twin_saves_first(form):
        # What the first POST did meanwhile: its member and its claim of the token.
        if not Member.objects.filter(club=club).exists():
            Member.objects.create(
                club=club,
                full_name="Ma Thị Hoa",
                sex="female",
                birth_year=1952,
                joined_on=datetime.date(2018, 3, 15),
            )
            Submission.objects.create(token=token, user=officer_a, url=detail)
        return clean(form)

    monkeypatch.setattr(member_forms.MemberForm, "clean", twin_saves_first)
    response = client.post(url, {**MEMBER, "submission": token})
    assert (response.status_code, response["Location"]) == (302, detail)
    assert Member.objects.filter(club=club).count() == 1
