"""``{% load dashboard %}``: ``{% club_url club %}``, the club page of a ``ClubResult`` or
``Club`` (values are formatted by ``{% load ishc %}``)."""

from django import template
from django.urls import reverse

from reporting.gaps import training_status as _training_status

register = template.Library()


@register.simple_tag
def club_url(club):
    """The club page (``clubs:detail``) of ``club``."""
    return reverse("clubs:detail", args=[club.id])


@register.filter
def training_status(result, months):
    """The words of a "trained and monitored" ``CriterionResult`` for a table cell, with the
    window of ``months`` (``reporting.gaps.training_status``)."""
    return _training_status(result.trained, result.monitored, months)
