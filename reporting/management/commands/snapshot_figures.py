"""``python manage.py snapshot_figures CODE [--check]``: write the frozen figures of the
snapshot with verification code ``CODE`` (``reporting.snapshots``) to standard output, byte for
byte the canonical JSON (RFC 8785) that was hashed, so that ``sha256sum`` of the output is the
stored SHA-256 and the first 10 characters of its base32 are the code. ``--check`` instead
prints the stored hash, the hash of the stored text and of the text canonicalised again, and
fails when they differ."""

import hashlib
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from reporting import snapshots
from reporting.models import FigureSnapshot


class Command(BaseCommand):
    help = "Write the canonical JSON of a frozen snapshot (by its verification code)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, code, check, **options):
        found = FigureSnapshot.objects.filter(code=snapshots.normalise_code(code)).first()
        if found is None:
            raise CommandError(f"no snapshot with code {code}")
        text = found.figures.encode()
        if not check:
            sys.stdout.buffer.write(text)
            sys.stdout.flush()
            return
        stored = hashlib.sha256(text).hexdigest()
        again, again_code = snapshots.digest(json.loads(text))
        self.stdout.write(f"stored sha256       {found.sha256}")
        self.stdout.write(f"sha256 of the text  {stored}")
        self.stdout.write(f"recanonicalised     {again} ({again_code})")
        if not found.sha256 == stored == again or again_code != found.code:
            raise CommandError("the stored figures do not match their hash")
