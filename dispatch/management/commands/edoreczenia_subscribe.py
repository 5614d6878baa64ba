"""Register the office's callback URLs with the e-Doręczenia mailbox (evidences, finished send tasks)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dispatch import edoreczenia


class Command(BaseCommand):
    help = "Subscribe to e-Doręczenia callbacks: SITE_URL/wysylka/edoreczenia/<EDORECZENIA_CALLBACK_TOKEN>/"

    def handle(self, *args, **options):
        if not settings.EDORECZENIA_URL or not settings.EDORECZENIA_CALLBACK_TOKEN:
            raise CommandError("Set EDORECZENIA_URL and EDORECZENIA_CALLBACK_TOKEN first.")
        url = f"{settings.SITE_URL.rstrip('/')}/wysylka/edoreczenia/{settings.EDORECZENIA_CALLBACK_TOKEN}/"
        with edoreczenia.client() as api:
            api.subscribe(evidence_url=url, message_created_url=url)
        self.stdout.write(f"Subscribed: {url}")
