"""Day-first dates and "." thousands in both interface languages."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django import forms
from django.utils import formats, translation


class DateForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("text", ["05/03/1950", "05-03-1950", "05.03.1950", "1950-03-05"])
def test_dates_are_read_day_first(language, text):
    with translation.override(language):
        form = DateForm(data={"day": text})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(1950, 3, 5)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_month_first_is_never_accepted(language):
    with translation.override(language):
        assert not DateForm(data={"day": "12/31/1950"}).is_valid()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_are_shown_day_first_and_thousands_grouped_with_dots(language):
    with translation.override(language):
        assert formats.date_format(datetime.date(1950, 3, 5), "SHORT_DATE_FORMAT") == "05/03/1950"
        assert formats.number_format(1_500_000, force_grouping=True) == "1.500.000"


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env["DEBUG"] = "0"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault("
            "'DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup()",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr
