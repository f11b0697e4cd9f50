"""``{% load privacy %}{{ member.national_id|national_id_for:request.user }}``: the national
ID as that user may see it (``members.privacy.mask_national_id``)."""

from django import template

from members.privacy import mask_national_id

register = template.Library()


@register.filter
def national_id_for(national_id, user):
    return mask_national_id(national_id, user)
