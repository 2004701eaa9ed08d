"""vCard files (2.1, 3.0, 4.0) as phones and mail clients export them: a card a row, a broken card refused alone."""

import base64
import codecs

import pytest
from django.core.management import call_command
from django.urls import reverse

from contacts.models import Contact
from crm.imports import reader
from crm.imports.models import ImportJob, RefusedRow
from crm.imports.vcard import HEADERS

from .conftest import upload

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 3
JPEG_BASE64 = base64.b64encode(JPEG).decode()


def folded(line: str, width: int = 75) -> str:
    """A long line folded as RFC 6350 says: CRLF and a space every `width` characters."""
    return "\r\n ".join(line[i : i + width] for i in range(0, len(line), width))


APPLE = "\r\n".join(
    [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//Apple Inc.//iPhone OS 17.0//EN",
        "N:Lovelace;Ada;King;Dr;",
        "FN:Dr Ada King Lovelace",
        "ORG:Analytical Engines Ltd;Research",
        "TITLE:Programmer",
        "item1.EMAIL;type=INTERNET;type=pref:ada@engines.example",
        "item1.X-ABLabel:_$!<Other>!$_",
        "EMAIL;type=INTERNET;type=HOME:ada@home.example",
        "TEL;type=CELL;type=VOICE;type=pref:+44 20 7946 0001",
        "TEL;type=WORK;type=VOICE:+44 20 7946 0002",
        "TEL;type=WORK;type=FAX:+44 20 7946 0003",
        "ADR;type=HOME;type=pref:;Flat 2;12 St James's Square;London;;SW1Y 4JH;United Kingdom",
        "ADR;type=WORK:PO Box 7;;1 Engine Row;Cambridge;Cambs;CB2 1TN;UK",
        folded("NOTE:Met at the Royal Society\\, 1843.\\nLikes poetry\\; and numbers. " + "x" * 100),
        "BDAY;value=date:1815-12-10",
        "URL:https://engines.example",
        folded(f"PHOTO;ENCODING=b;TYPE=JPEG:{JPEG_BASE64}"),
        "END:VCARD",
        "",
    ]
)


def card_21(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:2.1", *lines, "END:VCARD", ""])


def rows_of(tmp_file, content: bytes, name: str = "contacts.vcf") -> list[dict]:
    path = tmp_file(content, name)
    source = reader.inspect(path, name)
    assert source.kind == "vcf"
    header, *cards = reader.rows(path, source)
    assert header == list(HEADERS)
    return [dict(zip(HEADERS, cells, strict=False)) | {"refused": getattr(cells, "reason", "")} for cells in cards]


def test_an_apple_export_with_groups_folded_lines_and_a_photo(tmp_file):
    (card,) = rows_of(tmp_file, APPLE.encode())

    assert card["First Name"] == "Ada" and card["Middle Name"] == "King" and card["Last Name"] == "Lovelace"
    assert (card["Title"], card["Full Name"]) == ("Dr", "Dr Ada King Lovelace")
    assert (card["Company"], card["Department"], card["Job Title"]) == (
        "Analytical Engines Ltd",
        "Research",
        "Programmer",
    )
    assert (card["E-mail Address"], card["E-mail 2 Address"]) == ("ada@engines.example", "ada@home.example")
    assert card["Mobile Phone"] == "+44 20 7946 0001"
    assert card["Business Phone"] == "+44 20 7946 0002"
    assert card["Business Fax"] == "+44 20 7946 0003"
    assert card["Home Street"] == "12 St James's Square, Flat 2"
    assert (card["Home City"], card["Home Postal Code"], card["Home Country/Region"]) == (
        "London",
        "SW1Y 4JH",
        "United Kingdom",
    )
    assert card["Business Street"] == "1 Engine Row, PO Box 7"
    assert card["Business State"] == "Cambs"
    assert card["Notes"] == "Met at the Royal Society, 1843.\nLikes poetry; and numbers. " + "x" * 100
    assert card["Birthday"] == "1815-12-10"
    assert card["Web Page"] == "https://engines.example"
    assert card["Photo"] == f"data:image/jpeg;base64,{JPEG_BASE64}"


def test_an_android_export_in_quoted_printable_latin_1_and_utf_8(tmp_file):
    content = card_21(
        "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen;;;",
        "FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:J=FCrgen M=FCller",
        "TEL;CELL:+49 30 1234567",
        "TEL;HOME:+49 30 7654321",
    ) + card_21(
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=89lise;Fran=C3=A7oise;;;",
        "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Tr=C3=A8s longue note qui continue sur la ligne=",
        " suivante=0D=0Aet une autre ligne",
        "TEL:0612345678",
        "BDAY:19850415",
    )

    latin, utf8 = rows_of(tmp_file, content.encode("ascii"))

    assert (latin["First Name"], latin["Last Name"], latin["Full Name"]) == ("Jürgen", "Müller", "Jürgen Müller")
    assert (latin["Mobile Phone"], latin["Home Phone"]) == ("+49 30 1234567", "+49 30 7654321")
    assert (utf8["First Name"], utf8["Last Name"]) == ("Françoise", "Élise")
    assert utf8["Notes"] == "Très longue note qui continue sur la ligne suivante\r\net une autre ligne"
    assert utf8["Mobile Phone"] == "0612345678"  # the only phone, untyped
    assert utf8["Birthday"] == "1985-04-15"


def test_an_outlook_export_in_utf_16_with_a_bom(tmp_file):
    content = card_21(
        "N;LANGUAGE=de;CHARSET=Windows-1252:Weiß;Günter",
        "FN:Günter Weiß",
        "ORG:Straßenbau GmbH",
        "EMAIL;PREF;INTERNET:guenter@strassenbau.example",
        "TEL;WORK;VOICE:+49 89 1111",
        "TEL;VOICE:+49 89 2222",
        "ADR;WORK;PREF:;;Hauptstraße 1;München;Bayern;80331;Deutschland",
        "PHOTO;TYPE=JPEG;ENCODING=BASE64:",
        *("  " + JPEG_BASE64[i : i + 72] for i in range(0, len(JPEG_BASE64), 72)),
        "",
        "BDAY:1970-01-31T00:00:00Z",
    )

    (card,) = rows_of(tmp_file, codecs.BOM_UTF16_LE + content.encode("utf-16-le"))

    assert (card["First Name"], card["Last Name"], card["Company"]) == ("Günter", "Weiß", "Straßenbau GmbH")
    assert card["E-mail Address"] == "guenter@strassenbau.example"
    assert (card["Business Phone"], card["Other Phone"]) == ("+49 89 1111", "+49 89 2222")
    assert (card["Business Street"], card["Business City"]) == ("Hauptstraße 1", "München")
    assert card["Birthday"] == "1970-01-31"
    assert card["Photo"] == f"data:image/jpeg;base64,{JPEG_BASE64}"


def test_a_4_0_card_with_a_data_uri_photo_and_a_birthday_without_a_year(tmp_file):
    content = "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:4.0",
            "FN:Grace Hopper",
            "N:Hopper;Grace;;;",
            'TEL;VALUE=uri;TYPE="cell,voice";PREF=1:tel:+1-555-0100',
            "EMAIL;TYPE=work:grace@navy.example",
            "ADR:;;1 Navy Way;Arlington;VA;22201;USA",
            "BDAY:--1209",
            f"PHOTO:data:image/jpeg;base64,{JPEG_BASE64}",
            "END:VCARD",
            "BEGIN:VCARD",
            "VERSION:4.0",
            "EMAIL:nobody@example.com",
            "BDAY:--04-15",
            "PHOTO;MEDIATYPE=image/jpeg:https://example.com/me.jpg",
            "END:VCARD",
            "",
        ]
    )

    grace, nameless = rows_of(tmp_file, ("\ufeff" + content).encode("utf-8"))

    assert grace["Mobile Phone"] == "+1-555-0100"
    assert grace["E-mail Address"] == "grace@navy.example"
    assert (grace["Home Street"], grace["Home State"]) == ("1 Navy Way", "VA")
    assert (grace["Birthday"], grace["Birthday (day and month)"]) == ("", "--12-09")
    assert grace["Photo"] == f"data:image/jpeg;base64,{JPEG_BASE64}"
    assert nameless["E-mail Address"] == "nobody@example.com" and not nameless["refused"]
    assert nameless["Birthday (day and month)"] == "--04-15"
    assert "Photo" not in nameless  # a remote photo is never fetched


def test_a_photo_over_the_attachment_limit_is_dropped_and_the_card_kept(tmp_file, settings):
    settings.ATTACHMENT_MAX_BYTES = 100

    (card,) = rows_of(tmp_file, APPLE.encode())

    assert card["Full Name"] == "Dr Ada King Lovelace" and not card["refused"]
    assert not card.get("Photo")


BROKEN = (
    card_21("N:Good;Anne", "EMAIL:anne@good.example")
    + card_21("N:Photo;Paul", "EMAIL:paul@bad.example", "PHOTO;ENCODING=BASE64;TYPE=JPEG:!!not base64!!")
    + card_21("N:Garbage;Gina", "this line is garbage", "EMAIL:gina@bad.example")
    + card_21("N:Good;Bert", "EMAIL:bert@good.example")
    + "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Cut;Carl\r\nEMAIL:carl@bad.example\r\n"
)


def test_a_broken_card_is_refused_with_its_reason_and_the_others_read(tmp_file):
    cards = rows_of(tmp_file, BROKEN.encode())

    assert [(card["Last Name"], card["refused"]) for card in cards] == [
        ("Good", ""),
        ("Photo", "The card's photo is not valid base64: the card may be damaged."),
        ("Garbage", "A line of the card is not a vCard property: “this line is garbage”."),
        ("Good", ""),
        ("Cut", "The card has no END:VCARD line: the file may be cut short."),
    ]


def test_the_good_cards_become_contacts_and_the_broken_ones_refused_rows(ada, tmp_file, capsys):
    path = tmp_file(BROKEN.encode(), "phone.vcf")

    call_command(
        "import_records",
        "contacts",
        str(path),
        "--map",
        "First Name=given_name",
        "--map",
        "Last Name=surname",
        "--map",
        "E-mail Address=email",
        "--user",
        "ada",
    )

    assert "Completed: 2 created, 0 updated, 0 unchanged, 3 refused" in capsys.readouterr().out
    assert set(Contact.objects.values_list("given_name", "email")) == {
        ("Anne", "anne@good.example"),
        ("Bert", "bert@good.example"),
    }
    job = ImportJob.objects.get()
    assert (job.kind, job.total_rows) == ("vcf", 5)
    refused = {row.row_number: row.reason for row in RefusedRow.objects.filter(job=job)}
    assert refused == {
        3: "The card's photo is not valid base64: the card may be damaged.",
        4: "A line of the card is not a vCard property: “this line is garbage”.",
        6: "The card has no END:VCARD line: the file may be cut short.",
    }


def test_a_vcf_upload_that_is_no_vcard_is_refused(tmp_file):
    path = tmp_file(b"Name,Email\nAnn,ann@x.example\n", "contacts.vcf")

    with pytest.raises(reader.UnreadableFile, match="not a vCard file"):
        reader.inspect(path, "contacts.vcf")


def test_a_vcard_file_previews_and_counts_its_cards(tmp_file):
    path = tmp_file(BROKEN.encode(), "phone.vcf")
    source = reader.inspect(path, "phone.vcf")

    assert reader.count_rows(path, source) == 5
    assert [row[:3] for row in reader.preview(path, source, count=3)] == [
        ["First Name", "Middle Name", "Last Name"],
        ["Anne", "", "Good"],
        ["Paul", "", "Photo"],
    ]


def test_a_vcard_upload_leads_to_the_mapping_of_its_columns(alice_client):
    response = alice_client.post(
        reverse("imports:new") + "?section=contacts",
        {"section": "contacts", "file": upload(APPLE.encode(), "iphone.vcf")},
    )
    page = alice_client.get(response["Location"])

    form = page.context["form"]
    assert form["column_0"].label == "First Name" and form["column_0"].initial == "given_name"
    assert "Each card of the vCard file (.vcf) is a row" in page.content.decode()
