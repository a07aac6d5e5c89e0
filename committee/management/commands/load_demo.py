import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from committee import demo


class Command(BaseCommand):
    help = "Load the demo street office, communities, staff, residents and every app's demo records (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Load the demo accounts (all with the same known password) even though DEBUG is off.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            # The demo creates admin and every role with one published password: never by accident.
            raise CommandError("DEBUG is off: load_demo would create accounts with a published password. "
                               "Run it on a development copy, or pass --allow-production if you really mean it.")
        with translation.override("zh-hans"):
            self._load()

    def _load(self):
        logins = demo.load(self.stdout)
        for config in apps.get_app_configs():
            if config.name == "committee":
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as e:
                if e.name != f"{config.name}.demo":
                    raise
                continue
            module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. 演示账号（密码均为 {demo.DEMO_PASSWORD}）："))
        width = max(len(login) for login, _, _ in logins)
        for login, name, what in logins:
            self.stdout.write(f"  {login.ljust(width)}  {name}  {what}")
        self.stdout.write("  (其余社区账号同理：<社区代码>.<director|secretary|deputy|civil|dibao|labour|service|"
                          "station|archivist|bookkeeper|member>)")
