"""Create (once) a local secretariat admin for development and print its credentials. Refused outside DEBUG."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bakuhub.accounts.models import Role, User
from bakuhub.core import audit

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create the local development admin (secretariat role) if missing and print its credentials."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("ensure_dev_admin is for local development only (DEBUG is off).")
        secret_file = settings.VAR_DIR / "dev-admin-password.txt"
        user = User.objects.filter(username=USERNAME).first()
        if user is None or not secret_file.exists():
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User(username=USERNAME, email="admin@localhost", role=Role.SECRETARIAT)
                user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            audit.record(actor=None, action="user.dev_admin", obj=user, changes={"password": ["", "(set)"]})
            secret_file.parent.mkdir(parents=True, exist_ok=True)
            secret_file.write_text(password + "\n", encoding="utf-8")
            secret_file.chmod(0o600)
        password = secret_file.read_text(encoding="utf-8").strip()
        self.stdout.write(
            self.style.SUCCESS(f"Local admin (secretariat): username '{USERNAME}', password '{password}'")
        )
        self.stdout.write(f"(kept in {secret_file}; delete that file to get a new password)")
