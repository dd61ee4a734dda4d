"""What changed in an item between a version in its history and now, in words an editor reads."""

from django.utils.text import capfirst


def shown(field, value):
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return str(field.related_model._default_manager.filter(pk=value).first() or "—")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def differences(version, current):
    """(field, in that version, now) for each field an editor can edit that differs between the two."""
    rows = []
    for field in current._meta.concrete_fields:
        if not field.editable or field.primary_key or field.attname not in version.field_dict:
            continue
        then, now = version.field_dict[field.attname], field.value_from_object(current)
        if then != now:
            rows.append((capfirst(field.verbose_name), shown(field, then), shown(field, now)))
    return rows
