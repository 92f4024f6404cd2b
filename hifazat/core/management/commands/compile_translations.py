from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from hifazat.core.translations import catalogues, compile_catalogue


class Command(BaseCommand):
    help = "Compile the .po catalogues under locale/ to .mo files, in pure Python (no GNU gettext needed)."

    def handle(self, *args, **options):
        for po in catalogues(Path(settings.BASE_DIR)):
            mo = po.with_suffix(".mo")
            mo.write_bytes(compile_catalogue(po))
            self.stdout.write(f"compiled {po.relative_to(settings.BASE_DIR)}")
