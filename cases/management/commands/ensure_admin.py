"""Create the first admin account without a fixed password.

The password comes from ``DJANGO_ADMIN_PASSWORD`` or, if unset, is random and
printed once. A second run leaves an existing account alone.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "创建初始管理员账户（密码取自 DJANGO_ADMIN_PASSWORD，或随机生成并只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DJANGO_ADMIN_USER", "admin"))

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"管理员 {username} 已存在，未改动其密码。(admin account exists; password unchanged)")
            return
        password = os.environ.get("DJANGO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        shown = "（取自 DJANGO_ADMIN_PASSWORD）" if os.environ.get("DJANGO_ADMIN_PASSWORD") else password
        self.stdout.write(self.style.SUCCESS(
            f"已创建管理员账户 / admin account created\n  用户名 username: {username}\n  密码 password: {shown}\n"
            "  请妥善保存，此密码不会再次显示 (shown once; change it at /admin/password_change/)"
        ))
