"""The value step of the mapping page: a lookup or choice column's distinct values, counted, beside a select of
ours (matched by name or alias), saved as the job's value map, applied by the dry run and the import, and
remembered for the same user's next import into the section."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Contact, Salutation
from crm.imports import selectors
from crm.imports.fields import CREATE, EMPTY
from crm.imports.models import ImportJob
from opportunities.models import OpportunityStage

from .conftest import csv_bytes, upload

pytestmark = pytest.mark.django_db

HEADER = ["First name", "Last name", "E-mail", "Salutation"]
PEOPLE = [
    ["Ann", "Lee", "ann@x.example", "Dr"],
    ["Bo", "Ma", "bo@x.example", "dr"],
    ["Cy", "Oh", "cy@x.example", "Dr."],
    ["Di", "Pu", "di@x.example", "Mister"],
    ["Ed", "Qi", "ed@x.example", ""],
]
TITLE_COLUMN = "3"


def uploaded(client, rows=PEOPLE, header=HEADER, section="contacts", name="people.csv") -> ImportJob:
    response = client.post(
        reverse("imports:new") + f"?section={section}",
        {"section": section, "file": upload(csv_bytes([header, *rows]), name)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.filter(created_by=response.wsgi_request.user).first()


def listed(response, index=TITLE_COLUMN) -> dict[str, tuple[int, str]]:
    """File value -> (rows holding it, the meaning chosen) as the page lists them for column `index`."""
    item = next(i for i in response.context["form"].value_columns() if i["column"].index == index)
    return {value.text: (value.count, field.value()) for field, value in item["rows"]}


def field_of(response, text, index=TITLE_COLUMN) -> str:
    form = response.context["form"]
    return next(name for name, value in form.value_names[index] if value == text)


def posted(response, **changes) -> dict:
    """What the page's form posts as it stands (its initial values), with `changes`."""
    form = response.context["form"]
    data = {"lookup_mode": form["lookup_mode"].value()}
    for name in form.column_fields + list(form.fields):
        if name.startswith(("column_", "value__")):
            data[name] = form[name].value() or ""
    data["keys"] = form["keys"].value()
    return {**data, **changes}


def test_the_distinct_values_are_listed_with_their_counts_and_those_matching_by_name_are_chosen(alice_client):
    dr = Salutation.objects.get(name="Dr")
    job = uploaded(alice_client)

    page = alice_client.get(reverse("imports:map", args=[job.pk]))

    # "Dr" and "dr" are one value (case does not count); "Dr." matches our "Dr" too (punctuation aside)
    assert listed(page) == {"Dr": (2, str(dr.pk)), "Dr.": (1, str(dr.pk)), "Mister": (1, "")}
    body = page.content.decode()
    assert 'id="value-mapping"' in body
    assert "1 value has no match" in body


def test_a_stage_another_system_calls_won_is_taken_for_our_closed_won(alice_client):
    won = OpportunityStage.objects.get(code=OpportunityStage.Code.WON)
    job = uploaded(
        alice_client,
        rows=[["Deal 1", "Won"], ["Deal 2", "Won"], ["Deal 3", "Mystery"]],
        header=["Name", "Stage"],
        section="opportunities",
        name="pipeline.csv",
    )

    page = alice_client.get(reverse("imports:map", args=[job.pk]))

    assert won.name == "Closed won"
    assert listed(page, "1") == {"Won": (2, str(won.pk)), "Mystery": (1, "")}
    item = page.context["form"].value_columns()[0]
    offered = [value for value, _ in item["column"].options]
    assert CREATE not in offered  # a stage is part of the process: an import never adds one
    assert item["unmatched"] == 1


def test_a_saved_value_map_changes_what_the_dry_run_and_the_import_write(
    alice_client, django_capture_on_commit_callbacks
):
    mr = Salutation.objects.get(name="Mr")
    job = uploaded(alice_client)
    url = reverse("imports:map", args=[job.pk])
    page = alice_client.get(url)
    choices = {field_of(page, "Mister"): str(mr.pk), field_of(page, "Dr."): EMPTY}

    dry = alice_client.post(url, posted(page, dry_run="1", **choices))

    assert dry.status_code == 200, dry.context["form"].errors
    samples = {number: values for number, _, values in dry.context["preview"].samples}
    assert samples[5]["Title"] == mr and "Title" not in samples[4]
    job.refresh_from_db()
    assert job.value_map[TITLE_COLUMN]["Mister"] == str(mr.pk)
    assert not Contact.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url, posted(page, start="1", **choices))
    titles = dict(Contact.objects.values_list("email", "salutation__name"))
    assert titles == {
        "ann@x.example": "Dr",
        "bo@x.example": "Dr",
        "cy@x.example": None,
        "di@x.example": "Mr",
        "ed@x.example": None,
    }


def test_the_map_is_remembered_for_the_users_next_import_into_the_section_and_not_for_another_user(
    client, alice, bob, django_capture_on_commit_callbacks
):
    mr = Salutation.objects.get(name="Mr")
    client.force_login(alice)
    job = uploaded(client)
    url = reverse("imports:map", args=[job.pk])
    page = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, posted(page, start="1", **{field_of(page, "Mister"): str(mr.pk)}))
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.COMPLETED

    again = [["Fay", "Ro", "fay@x.example", "MISTER"]]
    next_job = uploaded(client, rows=again, name="more.csv")
    assert listed(client.get(reverse("imports:map", args=[next_job.pk]))) == {"MISTER": (1, str(mr.pk))}

    client.force_login(bob)
    bobs_job = uploaded(client, rows=again, name="more.csv")
    assert listed(client.get(reverse("imports:map", args=[bobs_job.pk]))) == {"MISTER": (1, "")}


def test_a_value_retired_from_the_list_is_neither_offered_nor_chosen(alice_client):
    retired = Salutation.objects.create(name="Herr", is_active=False)
    job = uploaded(alice_client, rows=[["Ann", "Lee", "ann@x.example", "Herr"]])

    page = alice_client.get(reverse("imports:map", args=[job.pk]))

    assert listed(page) == {"Herr": (1, "")}
    item = page.context["form"].value_columns()[0]
    assert str(retired.pk) not in [value for value, _ in item["column"].options]
    assert str(Salutation.objects.get(name="Mr").pk) in [value for value, _ in item["column"].options]
    # and posted anyway, it is refused with the field's message: nothing is saved
    response = alice_client.post(
        reverse("imports:map", args=[job.pk]), posted(page, dry_run="1", **{field_of(page, "Herr"): str(retired.pk)})
    )
    assert response.status_code == 422
    assert not ImportJob.objects.get(pk=job.pk).value_map


def test_create_it_is_offered_only_when_the_import_creates_missing_values(alice_client):
    job = uploaded(alice_client)
    url = reverse("imports:map", args=[job.pk])
    page = alice_client.get(url)
    assert CREATE not in [value for value, _ in page.context["form"].value_columns()[0]["column"].options]

    # ticking "create missing values" fetches the step again (htmx), now with "create it"
    refreshed = alice_client.post(
        url, posted(page, lookup_mode="create"), headers={"HX-Request": "true", "HX-Target": "value-mapping"}
    )

    assert refreshed.templates[0].name == "imports/_values.html"
    item = refreshed.context["form"].value_columns()[0]
    assert CREATE in [value for value, _ in item["column"].options]
    assert "1 value has no match: it is created as a new title." in refreshed.content.decode()
    assert not ImportJob.objects.get(pk=job.pk).value_map  # fetching the step saves nothing


def test_mapping_a_column_to_a_lookup_on_the_page_brings_its_values(alice_client):
    job = uploaded(alice_client, header=["First name", "Last name", "E-mail", "Anrede"])
    url = reverse("imports:map", args=[job.pk])
    page = alice_client.get(url)
    assert page.context["form"].value_columns() == []

    refreshed = alice_client.post(
        url, posted(page, column_3="salutation"), headers={"HX-Request": "true", "HX-Target": "value-mapping"}
    )

    assert set(listed(refreshed)) == {"Dr", "Dr.", "Mister"}
    assert 'data-unmatched="1"' in refreshed.content.decode()


def test_the_page_lists_at_most_200_values_and_runs_the_same_queries_however_many_there_are(alice_client):
    def queries_for(count: int):
        rows = [[f"P{n}", "X", f"p{n}@x.example", f"Title {n}"] for n in range(count)]
        job = uploaded(alice_client, rows=rows, name=f"people-{count}.csv")
        url = reverse("imports:map", args=[job.pk])
        with CaptureQueriesContext(connection) as queries:
            response = alice_client.get(url)
        return response, len(queries)

    few, few_queries = queries_for(5)
    many, many_queries = queries_for(260)

    assert len(listed(few)) == 5
    assert len(listed(many)) == 200
    assert many.context["form"].value_columns()[0]["column"].more == 60
    assert "60 more are looked up by name" in many.content.decode()
    # never one per value: the session, the user, the job, the custom field definitions, the contact's address,
    # communication and event types (its import extras), the title values (the value step's one query, for its
    # one lookup column), the defaults' titles, types, decision roles, languages and users (3), the unread
    # notifications
    assert many_queries == few_queries
    assert few_queries <= 16


def test_a_long_file_is_read_for_its_values_up_to_a_limit_and_the_page_says_so(alice_client, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_ROWS", 3)
    job = uploaded(alice_client)

    page = alice_client.get(reverse("imports:map", args=[job.pk]))

    dr = str(Salutation.objects.get(name="Dr").pk)
    assert listed(page) == {"Dr": (2, dr), "Dr.": (1, dr)}  # the first three rows' values
    assert "The values are those of the first 3 rows." in page.content.decode()


def test_a_column_without_values_says_so(alice_client):
    job = uploaded(alice_client, rows=[["Ann", "Lee", "ann@x.example", ""]])

    page = alice_client.get(reverse("imports:map", args=[job.pk]))

    assert listed(page) == {}
    assert "The file has no values in this column." in page.content.decode()


def test_a_meaning_chosen_on_the_page_stays_chosen_when_the_step_is_fetched_again(alice_client):
    mr = str(Salutation.objects.get(name="Mr").pk)
    job = uploaded(alice_client)
    url = reverse("imports:map", args=[job.pk])
    page = alice_client.get(url)
    htmx = {"HX-Request": "true", "HX-Target": "value-mapping"}

    chosen = alice_client.post(url, posted(page, **{field_of(page, "Mister"): mr}), headers=htmx)
    assert listed(chosen)["Mister"] == (1, mr)
    assert 'data-unmatched="0"' in chosen.content.decode()

    # a value that is none of the column's options (posted for another field) is not taken
    other = alice_client.post(url, posted(page, **{field_of(page, "Mister"): "999999"}), headers=htmx)
    assert listed(other)["Mister"] == (1, "")
