import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

EDITORS = "Editors"
PASSWORD_VARIABLE = "EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        f"Create a staff account in the “{EDITORS}” group: it can edit the content and the quiz in the admin, "
        f"and nothing else. The password is read from ${PASSWORD_VARIABLE}, or generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="The editor's email address (optional).")

    def handle(self, username, email, **options):
        User = get_user_model()
        try:
            User.username_validator(username)
            if email:
                validate_email(email)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account named “{username}”. Choose another username.")
        try:
            editors = Group.objects.get(name=EDITORS)
        except Group.DoesNotExist:
            raise CommandError(f"The “{EDITORS}” group does not exist yet. Run `manage.py migrate` first.") from None

        password = os.environ.get(PASSWORD_VARIABLE)
        generated = not password
        if generated:
            password = secrets.token_urlsafe(24)
        user = User(username=username, email=email, is_staff=True, is_active=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            weakness = " ".join(error.messages)
            raise CommandError(f"The password in ${PASSWORD_VARIABLE} is too weak: {weakness}") from error
        user.set_password(password)
        with transaction.atomic():
            user.save()
            user.groups.add(editors)

        self.stdout.write(self.style.SUCCESS(f"Created the editor “{username}”. Sign in at /admin/."))
        if generated:
            self.stdout.write(f"Password (shown only this once, write it down): {password}")
