"""factory_boy factories for the registry and the organisation. Cases and deliveries go through the services,
so tests exercise numbering and the metryka the way the application does."""

import datetime as dt

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from organisation.models import Membership, OrgUnit, Role, User
from registry.models import Channel, Correspondent, Form, JrwaClass, JrwaVersion


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="pl_PL")
    last_name = factory.Faker("last_name", locale="pl_PL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@urzad.example")
    position_title = "inspektor"
    password = factory.django.Password("haslo-testowe-1")


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("symbol",)

    symbol = factory.Sequence(lambda n: f"U{n}")
    name = factory.LazyAttribute(lambda u: f"Wydział {u.symbol}")


def member(unit, role=Role.CASE_WORKER, **user_kwargs) -> User:
    """A user with `role` in `unit`."""
    user = UserFactory(**user_kwargs)
    Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return user


class JrwaVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JrwaVersion
        django_get_or_create = ("valid_from",)

    name = "JRWA testowy"
    valid_from = dt.date(2011, 1, 1)


class JrwaClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JrwaClass
        django_get_or_create = ("version", "symbol")

    version = factory.SubFactory(JrwaVersionFactory)
    symbol = factory.Sequence(lambda n: f"{6000 + n % 4000}")
    title = factory.LazyAttribute(lambda c: f"Klasa {c.symbol}")
    category_own = "B10"
    category_other = "Bc"
    is_leaf = True


class CorrespondentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correspondent

    kind = Correspondent.Kind.PERSON
    first_name = factory.Faker("first_name", locale="pl_PL")
    last_name = factory.Faker("last_name", locale="pl_PL")
    city = "Zielona Dolina"
    postal_code = "12-345"
    street = "Źródlana"
    building_number = "5"


def pdf_upload(name="pismo.pdf", text="Wniosek o wydanie zaświadczenia") -> SimpleUploadedFile:
    """A tiny but real PDF (detected as application/pdf from its content)."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, body + text.encode("utf-8"), content_type="application/pdf")


def make_delivery(registered_by, *, files=(), **kwargs):
    from registry.services.deliveries import register_delivery

    defaults = {
        "channel": Channel.POST,
        "form": Form.PAPER,
        "received_at": timezone.now() - dt.timedelta(hours=1),
        "subject": "Wniosek o wydanie zaświadczenia",
    }
    defaults.update(kwargs)
    delivery, _created = register_delivery(registered_by=registered_by, files=files, **defaults)
    return delivery


def make_case(actor, *, unit, jrwa_class=None, case_worker=None, delivery=None, **kwargs):
    from registry.services.cases import open_case

    return open_case(
        actor=actor,
        unit=unit,
        jrwa_class=jrwa_class or JrwaClassFactory(),
        title=kwargs.pop("title", "Sprawa testowa"),
        case_worker=case_worker or actor,
        delivery=delivery,
        **kwargs,
    )
