"""Text extraction from e-mail messages (.eml), XLSX and ODS: samples generated here with the standard library,
openpyxl and odfpy, and hostile inputs (zip bombs, repeated-row bombs, part bombs, pathological headers)."""

import base64
import contextlib
import datetime
import io
import time
import zipfile
from email.message import EmailMessage

import pytest
from django.utils import translation

from search.extraction import ArchiveBomb, CorruptFile, FileTooLarge, UnsafeXML, extract_text, get_limits
from search.extraction.mail import extract_email, looks_like_email

# --- e-mail --------------------------------------------------------------------------------------------------------

POLISH_MAIL = (
    "Return-Path: <zaneta@example.pl>\r\n"
    "Received: from mail.example.pl (mail.example.pl [192.0.2.1])\r\n"
    "\tby mx.gmina.example.pl; Mon, 3 Mar 2025 10:00:01 +0100\r\n"
    "From: =?iso-8859-2?q?=AFaneta_=A6l=EAzak?= <zaneta@example.pl>\r\n"
    "To: =?utf-8?q?Urz=C4=85d_Gminy?= <urzad@gmina.example.pl>\r\n"
    "Cc: =?utf-8?b?SmFuIMWBxJlrYQ==?= <jan@example.pl>\r\n"
    "Subject: =?utf-8?q?Wniosek_o_wydanie_za=C5=9Bwiadczenia_o_niezaleganiu?=\r\n"
    " =?iso-8859-2?q?_w_podatku_od_nieruchomo=B6ci?=\r\n"
    "Date: Mon, 3 Mar 2025 10:00:00 +0100\r\n"
    "Message-ID: <20250303100000.1@example.pl>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=windows-1250\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
).encode("ascii") + "Dzień dobry,\r\nproszę o wydanie zaświadczenia. Działka w Łękołodach, ul. Źródlana 5.\r\n".encode(
    "cp1250"
)


def message(subject="Pismo w sprawie RB.6730.12.2025", sender="Żaneta Ślęzak <zaneta@example.pl>") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Urząd Gminy <urzad@gmina.example.pl>"
    msg["Subject"] = subject
    msg["Date"] = "Tue, 4 Mar 2025 08:15:00 +0100"
    msg["Message-ID"] = "<abc@example.pl>"
    return msg


def write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_polish_email_with_encoded_words_and_a_cp1250_body(tmp_path):
    result = extract_text(write(tmp_path / "wiadomosc.eml", POLISH_MAIL))
    assert result.method == "eml"
    assert result.mime_type == "message/rfc822"
    lines = result.text.splitlines()
    assert lines[:5] == [
        "From: Żaneta Ślęzak <zaneta@example.pl>",
        "To: Urząd Gminy <urzad@gmina.example.pl>",
        "Cc: Jan Łęka <jan@example.pl>",
        "Subject: Wniosek o wydanie zaświadczenia o niezaleganiu w podatku od nieruchomości",
        "Date: Mon, 03 Mar 2025 10:00:00 +0100",
    ]
    assert "proszę o wydanie zaświadczenia. Działka w Łękołodach, ul. Źródlana 5." in result.text
    assert "Received" not in result.text and "Message-ID" not in result.text


@pytest.mark.parametrize("charset", ["iso-8859-2", "utf-8"])
def test_body_charsets_quoted_printable_and_base64(tmp_path, charset):
    msg = message()
    msg.set_content("Zażółć gęślą jaźń - Łękołody", charset=charset, cte="quoted-printable")
    assert extract_text(write(tmp_path / "a.eml", msg.as_bytes())).text.endswith("Zażółć gęślą jaźń - Łękołody")
    msg = message()
    msg.set_content("Zażółć gęślą jaźń - Łękołody", charset=charset, cte="base64")
    assert extract_text(write(tmp_path / "b.eml", msg.as_bytes())).text.endswith("Zażółć gęślą jaźń - Łękołody")


def test_undeclared_or_unknown_charset_is_detected(tmp_path):
    for charset_line in (b"", b"Content-Type: text/plain; charset=x-nieznany\r\n", b"Content-Type: text/plain\r\n"):
        data = (
            b"From: a@example.pl\r\nDate: Mon, 3 Mar 2025 10:00:00 +0100\r\nSubject: Pismo\r\n" + charset_line + b"\r\n"
        ) + "Świadczenie za źródło, gęś i żółw".encode("iso-8859-2")
        result = extract_text(write(tmp_path / "a.eml", data))
        assert result.method == "eml"
        assert result.text.endswith("Świadczenie za źródło, gęś i żółw")


def test_8bit_headers_without_encoded_words(tmp_path):
    data = "From: Żaneta <z@example.pl>\nSubject: Zaświadczenie\nDate: Mon, 3 Mar 2025 10:00:00 +0100\n\nTreść".encode()
    result = extract_text(write(tmp_path / "a.eml", data))
    assert "From: Żaneta <z@example.pl>" in result.text and "Subject: Zaświadczenie" in result.text


def test_html_only_email(tmp_path):
    msg = message()
    msg.set_content(
        "<html><head><style>p { color: red }</style><script>var tajnyKod = 1;</script></head>"
        "<body><h1>Zawiadomienie</h1><p>Urząd Gminy w <b>Łękołodach</b> zawiadamia o terminie doręczenia.</p>"
        "</body></html>",
        subtype="html",
        charset="utf-8",
        cte="base64",
    )
    result = extract_text(write(tmp_path / "a.eml", msg.as_bytes()))
    assert result.method == "eml"
    assert "Zawiadomienie" in result.text and "Urząd Gminy w Łękołodach zawiadamia" in result.text
    assert "tajnyKod" not in result.text and "color" not in result.text and "<p>" not in result.text


def test_html_in_iso_8859_2_with_a_contradicting_meta_uses_the_mime_charset(tmp_path):
    html = "<html><head><meta charset='utf-8'></head><body><p>Gęślą jaźń</p></body></html>"
    data = (
        b"From: a@example.pl\nDate: Mon, 3 Mar 2025 10:00:00 +0100\nSubject: x\nMIME-Version: 1.0\n"
        b"Content-Type: text/html; charset=iso-8859-2\nContent-Transfer-Encoding: 8bit\n\n" + html.encode("iso-8859-2")
    )
    assert extract_text(write(tmp_path / "a.eml", data)).text.endswith("Gęślą jaźń")


def test_html_without_a_mime_charset_is_decoded_by_its_meta(tmp_path):
    html = "<html><head><meta charset='windows-1250'></head><body><p>Świadczenie za źródło</p></body></html>"
    data = (
        b"From: a@example.pl\nDate: Mon, 3 Mar 2025 10:00:00 +0100\nSubject: x\nMIME-Version: 1.0\n"
        b"Content-Type: text/html\nContent-Transfer-Encoding: 8bit\n\n" + html.encode("cp1250")
    )
    assert extract_text(write(tmp_path / "a.eml", data)).text.endswith("Świadczenie za źródło")


def test_multipart_with_attachments_lists_their_names_not_their_content(tmp_path):
    msg = message()
    msg.set_content("Treść pisma: w załączeniu skan umowy.")
    msg.add_alternative("<p>Treść pisma TYLKO-W-HTML</p>", subtype="html")
    msg.add_attachment(b"%PDF-1.4 TAJNA-TRESC-PDF", maintype="application", subtype="pdf",
                       filename="skan_umowy_dzierżawy.pdf")
    msg.add_attachment("Notatka TAJNA-TRESC-TXT", filename="notatka służbowa.txt")
    msg.add_attachment(b"\x89PNG...", maintype="image", subtype="png", filename="zdjęcie.png", disposition="inline")
    result = extract_text(write(tmp_path / "a.eml", msg.as_bytes()))
    assert result.method == "eml"
    assert "Treść pisma: w załączeniu skan umowy." in result.text
    for name in ("skan_umowy_dzierżawy.pdf", "notatka służbowa.txt", "zdjęcie.png"):
        assert name in result.text
    for hidden in ("TAJNA-TRESC", "TYLKO-W-HTML", "JVBER", "%PDF"):
        assert hidden not in result.text  # attachments are documents of their own; the plain part wins


def test_alternative_with_an_empty_plain_part_falls_back_to_html(tmp_path):
    msg = message()
    msg.set_content("\n")
    msg.add_alternative("<p>Treść tylko w <i>HTML</i></p>", subtype="html")
    assert extract_text(write(tmp_path / "a.eml", msg.as_bytes())).text.endswith("Treść tylko w HTML")


def test_xhtml_email_part_with_an_xml_declaration(tmp_path):
    msg = message()
    msg.set_content('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
                    "<p>Zawiadomienie z Łękołód</p></body></html>", subtype="html")
    assert extract_text(write(tmp_path / "a.eml", msg.as_bytes())).text.endswith("Zawiadomienie z Łękołód")


def test_html_text_keeps_its_order():
    from search.extraction.plain import extract_html

    # the tail of a block (text after it) used to come before the text of its children
    html = "<div>Wstęp <b>pogrubiony</b></div> dalej <p>akapit <i>kursywa</i> koniec</p>\n"
    assert [line.strip() for line in extract_html(html).splitlines()] == [
        "Wstęp pogrubiony", "dalej", "akapit kursywa koniec"
    ]


def test_attachments_inside_the_html_alternative_are_listed(tmp_path):
    # Apple Mail: alternative(plain, mixed(html, attachment, html))
    from email.mime.application import MIMEApplication
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    html_branch = MIMEMultipart("mixed")
    html_branch.attach(MIMEText("<p>Treść HTML-TYLKO</p>", "html", "utf-8"))
    pdf = MIMEApplication(b"%PDF-1.4 TAJNE", "pdf")
    pdf.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "wniosek_Łękołody.pdf"))
    html_branch.attach(pdf)
    html_branch.attach(MIMEText("<p>stopka</p>", "html", "utf-8"))
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText("Treść zwykła", "plain", "utf-8"))
    alternative.attach(html_branch)
    alternative["From"] = "=?utf-8?q?=C5=BBaneta_=C5=9Al=C4=99zak?= <zaneta@example.pl>"
    alternative["Date"] = "Tue, 4 Mar 2025 08:15:00 +0100"
    alternative["Subject"] = "Wniosek"
    data = b"\xef\xbb\xbf" + alternative.as_bytes()  # and a BOM, as some programs save it
    result = extract_text(write(tmp_path / "a.eml", data))
    assert result.method == "eml" and result.text.startswith("From: Żaneta Ślęzak")
    assert "Treść zwykła" in result.text and "wniosek_Łękołody.pdf" in result.text
    assert "HTML-TYLKO" not in result.text and "TAJNE" not in result.text


def test_nested_forwarded_messages_down_to_three_levels(tmp_path):
    inner = message(subject="Poziom 5", sender="Adam Pięć <p5@example.pl>")
    inner.set_content("Treść poziomu 5")
    for level in (4, 3, 2, 1):
        outer = message(subject=f"Fwd: poziom {level}", sender=f"Nadawca {level} <p{level}@example.pl>")
        outer.set_content(f"Treść poziomu {level}")
        outer.add_attachment(inner)  # message/rfc822
        inner = outer
    result = extract_text(write(tmp_path / "a.eml", inner.as_bytes()))
    assert result.method == "eml"
    for level in (1, 2, 3, 4):
        assert f"Treść poziomu {level}" in result.text
        assert f"Subject: Fwd: poziom {level}" in result.text or level == 1
    assert "From: Nadawca 4 <p4@example.pl>" in result.text
    assert "poziomu 5" not in result.text and "Adam Pięć" not in result.text  # below the nesting limit


def test_malformed_messages_give_text_or_a_clean_error(tmp_path):
    broken = [
        # bad base64, unknown transfer encoding, boundary never closed, broken encoded words
        b"From: =?utf-8?q?=C5?= <a@example.pl>\nSubject: =?x-bogus?q?abc?= =?utf-8?b?####?=\n"
        b"Date: not a date\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nWnm#!!@@\n--b\n"
        b"Content-Type: text/plain; charset=base64\nContent-Transfer-Encoding: x-dziwne\n\nTekst czytelny\n--b\n"
        b"Content-Type: text/plain; charset=punycode\n\nAlbo i nie\n",
        # headers only, no body at all
        b"From: a@example.pl\nDate: Mon, 3 Mar 2025 10:00:00 +0100\nSubject: Bez tresci\n\n",
        # a message/rfc822 part that is empty, a multipart without subparts
        b"From: a@example.pl\nDate: Mon, 3 Mar 2025 10:00:00 +0100\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: message/rfc822\n\n--x\n"
        b"Content-Type: multipart/alternative; boundary=y\n\n--x--\n",
        # pathological header values (quadratic in the structured header parser), nested comments
        b"Date: Mon, 3 Mar 2025 10:00:00 +0100\nSubject: x\nFrom: " + b'"' * 20_000 + b"\nTo: " + b"(" * 5_000
        + b"\nContent-Type: text/plain; charset=\"" + b'"' * 100_000 + b"\nContent-Disposition: " + b"\\" * 100_000
        + b"\n\nTekst\n",
    ]
    for index, data in enumerate(broken):
        started = time.monotonic()
        try:
            result = extract_text(write(tmp_path / f"zly{index}.eml", data), "message/rfc822")
        except CorruptFile as exc:
            assert exc.params == {"kind": "EML"}
        else:
            assert result.method == "eml"
            result.text.encode("utf-8")  # no lone surrogates
        assert time.monotonic() - started < 10, index
        started = time.monotonic()
        with contextlib.suppress(CorruptFile):
            extract_email(data, get_limits())  # whatever the detection says
        assert time.monotonic() - started < 10, index
    assert "Tekst czytelny" in extract_text(tmp_path / "zly0.eml").text
    assert extract_text(tmp_path / "zly1.eml").text.startswith("From: a@example.pl")


def test_a_message_with_thousands_of_parts_stops_at_the_part_limit(tmp_path):
    parts = "".join(f"--b\nContent-Type: text/plain\n\nczęść {i}\n" for i in range(20_000))
    data = (
        "From: a@example.pl\nDate: Mon, 3 Mar 2025 10:00:00 +0100\nSubject: x\nMIME-Version: 1.0\n"
        f"Content-Type: multipart/mixed; boundary=b\n\n{parts}--b--\n"
    ).encode()
    started = time.monotonic()
    result = extract_text(write(tmp_path / "a.eml", data), limits=get_limits(max_email_parts=50))
    assert time.monotonic() - started < 10
    assert result.truncated
    assert "część 10\n" in result.text + "\n" and "część 60\n" not in result.text + "\n"


def test_parts_nested_thousands_deep(tmp_path):
    depth = 5000
    opening = "".join(f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n" for i in range(depth))
    data = ("From: a@example.pl\nDate: Mon, 3 Mar 2025 10:00:00 +0100\nSubject: Głęboko\nMIME-Version: 1.0\n"
            + opening + "Content-Type: text/plain\n\nna dnie\n").encode()
    started = time.monotonic()
    try:
        result = extract_text(write(tmp_path / "a.eml", data))
    except CorruptFile:
        pass
    else:
        assert result.truncated and "Subject: Głęboko" in result.text
    assert time.monotonic() - started < 10


def test_eml_is_detected_from_its_content_whatever_the_name_or_declared_type(tmp_path):
    result = extract_text(io.BytesIO(POLISH_MAIL), "application/pdf")
    assert result.method == "eml" and "Łękołodach" in result.text
    # libmagic says text/plain when the first header is not one it knows
    for first in (b"Message-ID: <1@example.pl>\n", b"MIME-Version: 1.0\n", b"From zaneta@example.pl Mon Mar  3 2025\n"):
        data = first + b"From: z@example.pl\nSubject: Pismo\nDate: Mon, 3 Mar 2025 10:00:00 +0100\n\nTre\xb6\xe6"
        result = extract_text(write(tmp_path / "pismo.txt", data), "text/plain")
        assert result.method == "eml", first
        assert "Subject: Pismo" in result.text and result.text.endswith("Treść")


def test_text_starting_with_from_is_read_as_text(tmp_path):
    """Decision: a file is a message only when its header block has From (or Sender/Return-Path) plus a field mail
    software writes (Date, Message-ID, MIME-Version, Received, …), three known fields in all, and nothing but header
    lines before the first empty line. A note typed as "From: …\\nTo: …" (libmagic calls it message/rfc822) is
    read as plain text, verbatim, whatever its encoding."""
    memo = "From: Jan Kowalski\nTo: Anna Nowak\nTemat: zebranie\n\nNotatka ze spotkania w Łękołodach.\n"
    for name, text in (
        ("notatka.txt", memo),
        ("memo.txt", "From: Jan Kowalski\nTo: Anna Nowak\n\nZażółć gęślą jaźń.\n"),
        ("prose.txt", "From: the minutes of the meeting we learn\nthat the road will be built.\n"),
        ("krotka.txt", "From: Jan\nDate: wczoraj\nSubject: bez pustej linii"),
    ):
        for encoding in ("utf-8", "cp1250"):
            result = extract_text(write(tmp_path / name, text.encode(encoding)))
            assert result.method == "txt", (name, result.mime_type)
            assert result.text == text.strip()
    assert not looks_like_email(b"From: Jan\nTo: Anna\nSubject: x\n\nbody")
    assert looks_like_email(b"From: Jan\nTo: Anna\nDate: Mon, 3 Mar 2025 10:00:00 +0100\n\nbody")


def test_big_message_loses_its_attachment_data_before_the_ceiling(tmp_path):
    msg = message()
    msg.set_content("Treść pisma z dużym załącznikiem")
    msg.add_attachment(b"\xff" * (32 * 1024 * 1024), maintype="application", subtype="pdf", filename="skan.pdf")
    path = write(tmp_path / "duzy.eml", msg.as_bytes())
    assert path.stat().st_size > 40 * 1024 * 1024
    result = extract_text(path)
    assert result.method == "eml"
    assert "Treść pisma z dużym załącznikiem" in result.text and "skan.pdf" in result.text
    # a big message that is not attachment data is refused as any other markup over the ceiling
    msg = message()
    msg.set_content("słowo " * (6 * 1024 * 1024), cte="8bit")
    with pytest.raises(FileTooLarge):
        extract_text(write(tmp_path / "tekst.eml", msg.as_bytes()))


def test_character_limit_on_email(tmp_path):
    msg = message()
    msg.set_content("Łękołody " * 10_000)
    result = extract_text(write(tmp_path / "a.eml", msg.as_bytes()), limits=get_limits(max_chars=1000))
    assert result.truncated and len(result.text) == 1000


def test_extract_email_directly():
    text, truncated = extract_email(POLISH_MAIL, get_limits())
    assert not truncated and "Żaneta Ślęzak" in text


# --- XLSX ----------------------------------------------------------------------------------------------------------


def xlsx(path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Rejestr wniosków"
    sheet.append(["Znak sprawy", "Wnioskodawca", "Kwota", "Data wpływu", "Godzina"])
    sheet.append(["RB.6730.12.2025", "Żaneta Ślęzak", 1234.56, datetime.date(2025, 3, 3),
                  datetime.datetime(2025, 3, 3, 10, 15)])
    sheet.append(["RB.6730.13.2025", "Jan Łęka", 42, datetime.date(2025, 3, 4), None])
    sheet["B10"] = "=SUMA(C2:C3)"  # a formula without a cached value reads as empty
    second = workbook.create_sheet("Łękołody")
    second["A1"] = "Zażółć gęślą jaźń"
    second["D3"] = "Źródlana 5"
    workbook.save(path)
    return path


def test_xlsx_two_sheets_polish_text_numbers_and_dates(tmp_path):
    result = extract_text(xlsx(tmp_path / "rejestr.xlsx"))
    assert result.method == "xlsx"
    assert result.mime_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert result.text.splitlines() == [
        "Rejestr wniosków",
        "Znak sprawy\tWnioskodawca\tKwota\tData wpływu\tGodzina",
        "RB.6730.12.2025\tŻaneta Ślęzak\t1234.56\t2025-03-03\t2025-03-03 10:15:00",
        "RB.6730.13.2025\tJan Łęka\t42\t2025-03-04",
        "Łękołody",
        "Zażółć gęślą jaźń",
        "\t\t\tŹródlana 5",
    ]


def test_xlsx_detected_inside_a_generic_zip_and_from_a_file_object(tmp_path):
    source = xlsx(tmp_path / "rejestr.xlsx")
    shuffled = tmp_path / "bez_nazwy"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(shuffled, "w", zipfile.ZIP_DEFLATED) as target:
        for item in sorted(original.infolist(), key=lambda i: i.filename != "xl/workbook.xml"):
            target.writestr(item, original.read(item.filename))
    result = extract_text(io.BytesIO(shuffled.read_bytes()), "application/octet-stream")
    assert result.method == "xlsx" and "Żaneta Ślęzak" in result.text


def test_xlsx_zip_bomb(tmp_path):
    source = xlsx(tmp_path / "ok.xlsx")
    bomb = tmp_path / "bomba.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in original.infolist():
            target.writestr(item, original.read(item.filename))
        target.writestr("xl/media/zero.bin", b"\0" * (40 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(ArchiveBomb) as info:
        extract_text(bomb)
    with translation.override("pl"):
        assert "bomba zip" in info.value.reason


def replace_member(source, target, name, data: bytes):
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in original.infolist():
            out.writestr(item, data if item.filename == name else original.read(item.filename))
    return target


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def test_xlsx_declared_dimension_and_a_far_cell_do_not_blow_up(tmp_path):
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}"><dimension ref="A1:XFD1048576"/>'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Początek</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>Koniec</t></is></c></row></sheetData></worksheet>'
    )
    path = replace_member(xlsx(tmp_path / "ok.xlsx"), tmp_path / "daleko.xlsx", "xl/worksheets/sheet1.xml",
                          sheet.encode())
    started = time.monotonic()
    result = extract_text(path)
    assert time.monotonic() - started < 10
    assert result.method == "xlsx" and "Początek" in result.text and "Koniec" in result.text
    limited = extract_text(path, limits=get_limits(max_cells=1000))
    assert limited.truncated and "Początek" in limited.text and "Koniec" not in limited.text


def test_xlsx_row_of_300000_cells_is_refused_before_openpyxl_builds_it(tmp_path):
    import os

    # random inline strings: the archive passes the compression-ratio check, the row would take gigabytes
    cells = "".join(f'<c t="inlineStr"><is><t>{os.urandom(6).hex()}</t></is></c>' for _ in range(300_000))
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}"><sheetData><row r="1">{cells}'
    sheet += "</row></sheetData></worksheet>"
    path = replace_member(xlsx(tmp_path / "ok.xlsx"), tmp_path / "wiersz.xlsx", "xl/worksheets/sheet1.xml",
                          sheet.encode())
    started = time.monotonic()
    with pytest.raises(CorruptFile) as info:
        extract_text(path)
    assert time.monotonic() - started < 10
    assert "16384" in info.value.detail


def test_xlsx_cell_limit(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in range(100):
        workbook.active.append([f"w{row}k{col}" for col in range(10)])
    workbook.save(tmp_path / "a.xlsx")
    result = extract_text(tmp_path / "a.xlsx", limits=get_limits(max_cells=205))
    assert result.truncated
    assert "w19k9" in result.text and "w20k0" not in result.text


def test_damaged_xlsx_and_entities(tmp_path):
    source = xlsx(tmp_path / "ok.xlsx")
    damaged = replace_member(source, tmp_path / "zly.xlsx", "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row")
    with pytest.raises(CorruptFile) as info:
        extract_text(damaged)
    assert info.value.params == {"kind": "XLSX"}
    with translation.override("pl"):
        assert info.value.reason == "Plik jest uszkodzony albo nie jest poprawnym plikiem XLSX."
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        f'<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c>'
        "</row></sheetData></worksheet>"
    )
    with pytest.raises(UnsafeXML):
        extract_text(replace_member(source, tmp_path / "lol.xlsx", "xl/worksheets/sheet1.xml", lol.encode()))


# --- ODS -----------------------------------------------------------------------------------------------------------


def ods(path, bomb_rows: int = 0, filled_rows: int = 0):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P, S, Span

    def cell(text=None, **attributes):
        element = TableCell(**attributes)
        if text is not None:
            element.addElement(P(text=text))
        return element

    document = OpenDocumentSpreadsheet()
    first = Table(name="Rejestr wniosków")
    header = TableRow()
    for text in ("Znak sprawy", "Wnioskodawca", "Kwota"):
        header.addElement(cell(text))
    first.addElement(header)
    row = TableRow()
    row.addElement(cell("RB.6730.12.2025"))
    paragraph = P(text="Żaneta")
    paragraph.addElement(S())
    paragraph.addElement(Span(text="Ślęzak"))
    name = TableCell()
    name.addElement(paragraph)
    row.addElement(name)
    row.addElement(cell("1 234,56", valuetype="float", value="1234.56"))
    first.addElement(row)
    gap = TableRow()
    gap.addElement(cell("TAK", numbercolumnsrepeated=3))
    gap.addElement(cell(numbercolumnsrepeated=2))
    gap.addElement(cell("koniec wiersza"))
    gap.addElement(cell(numbercolumnsrepeated=16378))
    first.addElement(gap)
    if filled_rows:
        repeated = TableRow(numberrowsrepeated=filled_rows)
        repeated.addElement(cell("powtórzony"))
        first.addElement(repeated)
    if bomb_rows:
        empty = TableRow(numberrowsrepeated=bomb_rows)
        empty.addElement(cell(numbercolumnsrepeated=16384))
        first.addElement(empty)
    document.spreadsheet.addElement(first)
    second = Table(name="Łękołody")
    row = TableRow()
    row.addElement(cell("Zażółć gęślą jaźń"))
    row.addElement(cell(valuetype="date", datevalue="2025-03-03"))
    second.addElement(row)
    document.spreadsheet.addElement(second)
    document.save(str(path))
    return path


def test_ods_polish_text_sheets_and_repeated_cells(tmp_path):
    result = extract_text(ods(tmp_path / "rejestr.ods"))
    assert result.method == "ods"
    assert result.mime_type == "application/vnd.oasis.opendocument.spreadsheet"
    assert result.text.splitlines() == [
        "Rejestr wniosków",
        "Znak sprawy\tWnioskodawca\tKwota",
        "RB.6730.12.2025\tŻaneta Ślęzak\t1 234,56",
        "TAK\tTAK\tTAK\t\t\tkoniec wiersza",
        "Łękołody",
        "Zażółć gęślą jaźń\t2025-03-03",
    ]
    assert not result.truncated


def test_ods_with_a_million_empty_repeated_rows_is_quick_and_reads_what_follows(tmp_path):
    path = ods(tmp_path / "bomba.ods", bomb_rows=1_048_576)
    started = time.monotonic()
    result = extract_text(path, limits=get_limits(max_cells=10_000))
    assert time.monotonic() - started < 5
    assert not result.truncated and result.text.endswith("Zażółć gęślą jaźń\t2025-03-03")


def test_ods_row_with_content_repeated_a_million_times_stops_at_the_cell_limit(tmp_path):
    path = ods(tmp_path / "bomba.ods", filled_rows=1_000_000)
    started = time.monotonic()
    result = extract_text(path, limits=get_limits(max_cells=5_000))
    assert time.monotonic() - started < 5
    assert result.truncated
    assert 4_900 < result.text.count("powtórzony") <= 5_000
    started = time.monotonic()
    default = extract_text(path)  # default limits: max_chars (1,000,000) stops it first
    assert time.monotonic() - started < 10
    assert default.truncated and len(default.text) == get_limits().max_chars


def test_ods_huge_empty_gaps_before_a_cell_are_not_materialised(tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Luki")
    row = TableRow()
    first = TableCell()
    first.addElement(P(text="Początek"))
    row.addElement(first)
    for _ in range(1000):
        row.addElement(TableCell(numbercolumnsrepeated=1_000_000))
    last = TableCell(numbercolumnsrepeated=1_000_000)
    last.addElement(P(text="Za daleko"))
    row.addElement(last)
    table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(tmp_path / "luki.ods"))
    started = time.monotonic()
    result = extract_text(tmp_path / "luki.ods")
    assert time.monotonic() - started < 5
    assert result.truncated and result.text == "Luki\nPoczątek"


def test_ods_cell_limit(tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Dane")
    for row_number in range(100):
        row = TableRow()
        for col in range(10):
            cell = TableCell()
            cell.addElement(P(text=f"w{row_number}k{col}"))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(tmp_path / "a.ods"))
    assert not extract_text(tmp_path / "a.ods").truncated
    result = extract_text(tmp_path / "a.ods", limits=get_limits(max_cells=205))
    assert result.truncated
    assert "w19k9" in result.text and "w21k0" not in result.text  # the row that crosses the limit is cut in it


def test_ods_zip_bomb_and_damage(tmp_path):
    source = ods(tmp_path / "ok.ods")
    bomb = tmp_path / "bomba.ods"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in original.infolist():
            target.writestr(item, original.read(item.filename))
        target.writestr("Pictures/zero.bin", b"\0" * (40 * 1024 * 1024))
    with pytest.raises(ArchiveBomb):
        extract_text(bomb)
    with pytest.raises(CorruptFile) as info:
        extract_text(replace_member(source, tmp_path / "zly.ods", "content.xml", b"<office:document-content"))
    assert info.value.params == {"kind": "ODS"}
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [' + "".join(entities) + ']><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        '<table:table table:name="x"><table:table-row><table:table-cell><text:p>&lol9;</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    started = time.monotonic()
    with pytest.raises(UnsafeXML):
        extract_text(replace_member(source, tmp_path / "lol.ods", "content.xml", lol.encode()))
    assert time.monotonic() - started < 5


def test_ods_detected_when_libmagic_does_not_recognise_it(tmp_path):
    source = ods(tmp_path / "ok.ods")
    shuffled, compressed = tmp_path / "bez_nazwy", tmp_path / "skompresowany"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(shuffled, "w", zipfile.ZIP_DEFLATED) as target:
        for item in sorted(original.infolist(), key=lambda i: i.filename == "mimetype"):
            target.writestr(item, original.read(item.filename))
    result = extract_text(shuffled, "application/vnd.oasis.opendocument.spreadsheet")
    assert result.method == "ods" and "Żaneta Ślęzak" in result.text
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(compressed, "w", zipfile.ZIP_DEFLATED) as target:
        for name in original.namelist():  # "mimetype" first but compressed: libmagic says octet-stream
            target.writestr(name, original.read(name))
    result = extract_text(compressed)
    assert result.method == "ods" and "Żaneta Ślęzak" in result.text


def test_base64_sanity():
    # the attachment-dropping pass keeps short base64 bodies (text parts are often base64)
    from search.extraction.mail import drop_encoded_attachments

    body = base64.encodebytes("Zażółć gęślą jaźń ".encode() * 1000)
    assert drop_encoded_attachments(b"head\n\n" + body + b"\nfoot") == b"head\n\n" + body + b"\nfoot"
    big = base64.encodebytes(b"\0" * (2 * 1024 * 1024))
    assert drop_encoded_attachments(b"head\n\n" + big + b"\nfoot") == b"head\n\n\nfoot"
