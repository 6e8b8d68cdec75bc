"""Forms say which fields they take (issue 7, item 5): no `fields = "__all__"`, no
`exclude`, in the app's forms and admin. (A field a form does not take is ignored when
posted anyway: `tests/participants/test_edit.py`.)"""

from django import forms
from django.contrib import admin

APPS = ("partners", "participants", "pathways", "reporting", "aktywizacja")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _ours(cls) -> bool:
    return cls.__module__.split(".")[0] in APPS


def test_no_model_form_takes_all_fields_or_excludes_some():
    import aktywizacja.urls  # noqa: F401 (loads every app's views and so their forms)

    model_forms = [f for f in set(_subclasses(forms.ModelForm)) if _ours(f)]
    assert model_forms, "the apps' model forms were not found"
    for form in model_forms:
        meta = getattr(form, "Meta", None)
        if meta is None:
            continue
        assert getattr(meta, "fields", None) != "__all__", form
        assert not getattr(meta, "exclude", None), form


def test_no_admin_excludes_fields_instead_of_listing_them():
    for model_admin in admin.site._registry.values():
        if _ours(type(model_admin)):
            assert not model_admin.exclude, type(model_admin)
            assert model_admin.fields != "__all__", type(model_admin)
