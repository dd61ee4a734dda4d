"""Working in the admin the way an editor's browser does: sign in, open a form, change a field, save, drag a row."""

import json

from django.urls import reverse

from tests.html_pages import parse

EDITOR_PASSWORD = "a-long-editor-password-for-tests"


def form_data(response):
    """What the browser would post back for the form on an admin change page, unchanged."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def change_url(item):
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])


def save(client, url, **changes):
    """Open the change form at ``url``, apply ``changes`` (form field names; None unticks a box) and save it."""
    data = {**form_data(client.get(url)), **changes}
    return client.post(url, {name: value for name, value in data.items() if value is not None})


def list_rows(client, changelist):
    """(pk, order) of each draggable row of an admin list, as the list shows them."""
    response = client.get(changelist)
    assert response.status_code == 200
    return [(int(handle["pk"]), int(handle["order"])) for handle in parse(response).find_all("div", class_="handle")]


def drag(client, changelist, old_index, new_index):
    """Move one row of the list like adminsortable2's script does, and post what it posts."""
    rows = list_rows(client, changelist)
    reordered = list(rows)
    reordered.insert(new_index, reordered.pop(old_index))
    first, last = sorted((old_index, new_index))
    order = rows[0][1] if first == 0 else reordered[first - 1][1] + 1
    updated = [[str(pk), order + offset] for offset, (pk, _old) in enumerate(reordered[first : last + 1])]
    update_url = changelist.split("?")[0] + "adminsortable2_update/"
    return client.post(update_url, json.dumps({"updatedItems": updated}), content_type="application/json")
