"""``{% load members %}``: ``{{ member|age_on:day }}`` (age in completed years),
``{{ member.national_id|masked_id:user }}`` (in full for administrators only) and
``{{ member.phone|masked_phone:user }}`` (in full for officers and administrators)."""

from django import template

from accounts.access import mask_national_id, mask_phone

register = template.Library()


@register.filter
def age_on(member, day):
    """A member's age in completed years on ``day`` (``Member.age_on``)."""
    return member.age_on(day)


@register.filter
def masked_id(value, user):
    """The national ID for administrators, ``••••••••1234`` for everyone else."""
    return mask_national_id(value or "", user)


@register.filter
def masked_phone(value, user):
    """The phone for officers and administrators, ``•••••••890`` for the board."""
    return mask_phone(value or "", user)
