from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hifazat.accounts.models import Organisation
from hifazat.demo import scenario


class Command(BaseCommand):
    help = "Build the October 2005 earthquake demo scenario in an empty database and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2005, help="the same seed builds the same data")
        parser.add_argument("--households", type=int, default=2000, help="households in the registry")

    def handle(self, *args, seed, households, **options):
        if Organisation.objects.exists():
            raise CommandError(
                "The database is not empty. The demo is built in a fresh database (make demo does so)."
            )
        self.stdout.write(f"Building the demo with {households} households (three or four minutes)...")
        with transaction.atomic():
            demo = scenario.build(seed=seed, households=households, progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("The demo scenario is ready: the 2005 earthquake response."))
        self.stdout.write("")
        self.stdout.write(
            "Sign in at http://127.0.0.1:8000/ with one of these (password for all: "
            f"{scenario.DEMO_PASSWORD}):"
        )
        # Every user the scenario made, including those that later parts' steps add.
        for username, user in demo.users.items():
            membership = user.active_membership()
            line = (
                f"  {username:<16} {membership.get_role_display():<24} {user.get_full_name()}, "
                f"{membership.organisation.name}"
            )
            self.stdout.write(line)
            if username in demo.backup_codes:
                self.stdout.write(
                    f"  {'':<16} second factor: one of the backup codes {', '.join(demo.backup_codes[username])}"
                )
        self.stdout.write("")
