"""``{% load dashboard %}``: ``{% club_url club %}``, the club page of a ``ClubResult`` or
``Club`` (values are formatted by ``{% load ishc %}``)."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def club_url(club):
    """The club page (``clubs:detail``) of ``club``."""
    return reverse("clubs:detail", args=[club.id])
