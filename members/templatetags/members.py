"""``{% load members %}``: ``{{ member|age_on:day }}`` (age in completed years) and
``{{ member.national_id|masked_id:user }}`` (in full for administrators only)."""

from django import template

from accounts.access import mask_national_id

register = template.Library()


@register.filter
def age_on(member, day):
    """A member's age in completed years on ``day`` (``Member.age_on``)."""
    return member.age_on(day)


@register.filter
def masked_id(value, user):
    """The national ID for administrators, ``••••••••1234`` for everyone else."""
    return mask_national_id(value or "", user)
