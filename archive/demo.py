"""Demo content for `manage.py load_demo`: older closed cases of the building unit (so files are due for the
office archive), one accepted spis zdawczo-odbiorczy with a loan, and one list waiting for the archivist."""

import datetime as dt

from django.utils import timezone


def load(context) -> None:
    from archive.services import handover as hs
    from archive.services import loans as ls
    from registry.services.cases import change_status, open_case

    users, units, jrwa = context["users"], context["units"], context["jrwa"]
    worker, archivist = users["referent_rb"], users["archiwista"]
    symbol = next((s for s in ("6730", "6733", "6831") if s in jrwa), None)
    if symbol is None:
        return
    cls = jrwa[symbol]
    if cls.version.valid_from > dt.date(2019, 1, 1):
        return
    titles = ["Warunki zabudowy – budynek mieszkalny jednorodzinny", "Warunki zabudowy – garaż wolnostojący",
              "Warunki zabudowy – budynek gospodarczy", "Warunki zabudowy – rozbudowa domu"]
    for year in (2019, 2020):
        for i, title in enumerate(titles):
            case = open_case(actor=worker, unit=units["RB"], jrwa_class=cls, title=title, case_worker=worker,
                             started_on=dt.date(year, 3 + i, 10))
            change_status(case, actor=worker, status="closed", remarks="wydano decyzję",
                          on_day=dt.date(year, 5 + i, 20))
    group = "A" if cls.category_own == "A" else "B"
    accepted = hs.prepare(actor=worker, unit=units["RB"], jrwa_class=cls, year=2019, group=group)
    hs.submit(actor=worker, handover=accepted)
    hs.accept(actor=archivist, handover=accepted, storage_location="pok. 12, regał 3, półka 2")
    first = accepted.items.order_by("position").first().case
    loan = ls.request_loan(actor=worker, case=first, purpose="odpowiedź na skargę do WSA",
                           due_on=timezone.localdate() + dt.timedelta(days=14))
    ls.approve(actor=archivist, loan=loan)
    waiting = hs.prepare(actor=worker, unit=units["RB"], jrwa_class=cls, year=2020, group=group)
    hs.submit(actor=worker, handover=waiting)
