"""The dashboard leads on to the report and to the exports (with the data-quality
check): without these links the manager could reach neither but by typing a URL."""

from django.urls import reverse


def test_the_dashboard_links_to_the_report_and_the_exports(login, manager, world):
    project = world.lebork
    content = login(manager).get(reverse("reporting:dashboard", args=[project.pk])).content
    content = content.decode()
    assert f'href="{reverse("reporting:exports", args=[project.pk])}"' in content
    assert f'href="{reverse("reporting:report", args=[project.pk])}"' in content


def test_the_links_keep_the_dashboards_selection(login, manager, world):
    project = world.lebork
    url = reverse("reporting:dashboard", args=[project.pk])
    content = login(manager).get(url, {"start": "01.01.2017", "end": "31.12.2017"}).content
    exports = reverse("reporting:exports", args=[project.pk])
    assert f'href="{exports}?start=01.01.2017&amp;end=31.12.2017"' in content.decode()
