"""The one module of access rules (accounts.access): who may write, and its use by every page
that writes, the spreadsheet pages included."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.access import can_write, province_ids_for, require_writer

pytestmark = pytest.mark.django_db


def test_an_inactive_officer_may_not_write(officer_a):
    officer_a.is_active = False
    assert can_write(officer_a) is False
    assert province_ids_for(officer_a) == []
    with pytest.raises(PermissionDenied):
        require_writer(officer_a)


def test_the_board_reads_every_province_and_writes_nothing(board, admin_user, officer_a):
    assert province_ids_for(board) is None and can_write(board) is False
    assert province_ids_for(admin_user) is None and can_write(admin_user) is True
    assert province_ids_for(officer_a) == [officer_a.assignments.get().province_id]


def test_a_superuser_with_the_officer_role_reaches_every_province(make):
    root = make.user("root", role="officer", is_superuser=True)
    assert province_ids_for(root) is None


def test_spreadsheet_upload_checks_the_same_rule(client, officer_a):
    """The upload page used its own writer check, which skipped the active flag."""
    client.force_login(officer_a)
    assert client.get(reverse("spreadsheets:upload")).status_code == 200
    type(officer_a).objects.filter(pk=officer_a.pk).update(is_active=False)
    response = client.get(reverse("spreadsheets:upload"))
    assert response.status_code in (302, 403)
