"""Working in the admin the way an editor's browser does: sign in, open a form, change a field, save."""

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


def save(client, url, **changes):
    """Open the change form at ``url``, apply ``changes`` (form field names) and save it."""
    data = {**form_data(client.get(url)), **changes}
    return client.post(url, data)
