"""`{% list_url "participants:list" %}`: a list's URL with the filters, sort and page the
user left it with (`aktywizacja.lists`), for breadcrumbs and links back to a list."""

from django import template

from aktywizacja import lists

register = template.Library()


@register.simple_tag(takes_context=True)
def list_url(context, name: str, *args) -> str:
    return lists.list_url(context.get("request"), name, *args)
