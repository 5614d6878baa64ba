"""No N+1: the archive's pages cost the same number of queries for 2 files as for 8."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from archive.services import handover as hs
from archive.services import loans as ls
from archive.tests.conftest import closed_case
from registry.services.documents import add_document
from registry.tests.factories import pdf_upload

D = dt.date


def make_file(office, year, n):
    cases = [closed_case(office, "2110", started_on=D(year, 1, i + 1), closed_on=D(year, 2, 1)) for i in range(n)]
    for case in cases:
        add_document(actor=office["worker"], title="Pismo", kind="letter", upload=pdf_upload(), case=case)
    handover = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["2110"], year=year,
                          group="B")
    hs.submit(actor=office["worker"], handover=handover)
    return cases, handover


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["handover", "pages", "case", "metadata"])
def test_queries_do_not_grow_with_the_number_of_files(office, client, page):
    small_cases, small = make_file(office, 2012, 2)
    big_cases, big = make_file(office, 2013, 8)
    client.force_login(office["archivist"])
    if page == "handover":
        assert count(client, reverse("archive:handover-detail", args=[small.pk])) == count(
            client, reverse("archive:handover-detail", args=[big.pk]))
        return
    hs.accept(actor=office["archivist"], handover=small)
    first = {name: count(client, reverse(f"archive:{name}")) for name in
             ["dashboard", "inventory", "disposal", "loans", "accessions", "due", "calendar"]}
    for _ in range(3):  # a file with 4 documents, against 1 in the small file
        add_document(actor=office["worker"], title="Załącznik", kind="attachment", upload=pdf_upload(),
                     case=big_cases[0])
    hs.accept(actor=office["archivist"], handover=big)
    for case in big_cases[:5]:
        ls.request_loan(actor=office["worker"], case=case, purpose="kontrola", due_on=timezone.localdate())
    if page == "pages":
        # Compare two states with rows everywhere (empty lists skip a query or two): 10 files, then 18.
        make_file(office, 2016, 2)  # a list waiting, files due
        second = {name: count(client, reverse(f"archive:{name}")) for name in first}
        more_cases, more = make_file(office, 2014, 8)
        hs.accept(actor=office["archivist"], handover=more)
        for case in more_cases[:5]:
            ls.request_loan(actor=office["worker"], case=case, purpose="kontrola", due_on=timezone.localdate())
        make_file(office, 2015, 3)  # another list waiting, more files due
        third = {name: count(client, reverse(f"archive:{name}")) for name in first}
        assert third == second
    elif page == "case":
        assert count(client, reverse("archive:case", args=[small_cases[0].pk])) == count(
            client, reverse("archive:case", args=[big_cases[0].pk]))
    else:
        document = big_cases[0].documents.first()
        assert count(client, reverse("archive:document-metadata", args=[document.pk])) < 15
