"""Template helpers shared by every app: money in yuan, capitals, masked ID numbers, history links."""

from django import forms, template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from committee import idcard, money

register = template.Library()


@register.filter
def yuan(value):
    """1234.5 → 1,234.50 (exact, from Decimal)."""
    if value in (None, ""):
        return ""
    amount = money.to_yuan(value)
    return f"{amount:,.2f}"


@register.filter
def capitals(value):
    return money.capitals(value)


@register.filter
def masked_id(value):
    return idcard.mask(value)


@register.simple_tag(takes_context=True)
def kept(context, action, name="reason"):
    """What the user typed into field ``name`` of the form posting to ``action`` before it was refused
    (feedback.keep), e.g. a confirm dialog's reason."""
    from committee import feedback

    request = context.get("request")
    return feedback.kept(request, action, name) if request is not None else ""


@register.simple_tag
def history_url(obj):
    ct = ContentType.objects.get_for_model(obj)
    return reverse("history", args=[ct.app_label, ct.model, obj.pk])


@register.inclusion_tag("committee/_field.html")
def field(bound_field):
    """One form field. A list of radio buttons or check boxes is a fieldset named by its legend (a <label>
    names one control; one around the whole list is invalid HTML and names nothing: issue 18)."""
    widget = bound_field.field.widget
    group = isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))
    return {"field": bound_field, "group": group}
