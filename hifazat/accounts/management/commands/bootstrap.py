import getpass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hifazat.accounts import services
from hifazat.accounts.models import OrganisationType
from hifazat.core.roles import Role


class Command(BaseCommand):
    help = "Start an empty installation: the hosting organisation and its first administrator."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="the hosting organisation's full name")
        parser.add_argument("--short-name", default="")
        parser.add_argument("--type", default=OrganisationType.NGO, choices=OrganisationType.values)
        parser.add_argument("--username", required=True, help="the first administrator's username")

    def handle(self, *args, organisation, short_name, type, username, **options):
        password = getpass.getpass("Password for the administrator: ")
        if password != getpass.getpass("Again: "):
            raise CommandError("The two passwords differ.")
        try:
            with transaction.atomic():
                org = services.organisation_create(
                    actor=None, name=organisation, short_name=short_name, org_type=type, hosts_system=True
                )
                services.user_create(
                    actor=None,
                    organisation=org,
                    role=Role.ADMINISTRATOR,
                    username=username,
                    password=password,
                )
        except PermissionDenied as error:
            raise CommandError(f"Refused: {error}.") from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{organisation} hosts this Hifazat; {username} is its administrator and enrols a second factor "
                "at the first sign-in."
            )
        )
