"""``{% load submissions %}{% submission_token %}``: the hidden field that makes a create form
do one thing however often it is posted (``accounts.submissions.once``)."""

from django import template
from django.utils.html import format_html

from accounts.submissions import FIELD, new_token

register = template.Library()


@register.simple_tag(takes_context=True)
def submission_token(context):
    """A hidden input with the page's token: the posted one again when the form is shown with
    its errors (so a corrected resend is still the same submission), else a fresh one."""
    request = context.get("request")
    posted = request.POST.get(FIELD, "") if request is not None and request.method == "POST" else ""
    token = posted if posted.isalnum() and 16 <= len(posted) <= 64 else new_token()
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, token)
