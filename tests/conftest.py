"""Personas shared by every app's tests: staff of community A, staff of community B, street-office
supervisors. Each app adds its own fixtures in tests/<app>/conftest.py."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from committee import calendar
from committee.models import Role
from tests import factories as f

# --- CTL-8: nothing personal in the logs (issue 18) ------------------------------------------------
# A handler on the root logger, first in line (before the product's masking filter rewrites a record),
# sees every record the suite produces: the project's own loggers at DEBUG, everything else at the level
# it is configured to. It greps each record for resident ID numbers (valid check digit) and mobile
# numbers; the test during which one was logged then fails, naming the logger and the masked number.
# Independent of pytest's logging plugin (``-p no:logging``): our handler, attached in our own hooks.

PROJECT_LOGGERS = ("committee", "dibao", "visits", "welfare", "seals", "archives", "attendance", "finance",
                   "meetings", "posts", "disclosure", "oversight", "config")


class PersonalDataInLogs(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.found: list[str] = []

    def emit(self, record):
        from committee import logprivacy

        try:
            hits = logprivacy.find(logprivacy.record_text(record))
        except Exception:  # noqa: BLE001 - a record that cannot be formatted is logging's own problem
            return
        for kind, masked in hits:
            self.found.append(f"{record.name} {record.levelname} {record.pathname}:{record.lineno}: "
                              f"{kind} {masked}")


LOG_GREP = PersonalDataInLogs()


def _attach_log_grep():
    root = logging.getLogger()
    if LOG_GREP not in root.handlers:
        root.handlers.insert(0, LOG_GREP)
    for name in PROJECT_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)


LOG_GREP_OUTSIDE_TESTS: list[str] = []


def pytest_sessionstart(session):
    _attach_log_grep()


def pytest_sessionfinish(session, exitstatus):
    """Records logged outside any test (database set-up, between tests) fail the run too."""
    leftovers = LOG_GREP_OUTSIDE_TESTS + LOG_GREP.found
    if leftovers:
        print("\nCTL-8: personal data written to the log outside a test:\n" + "\n".join(leftovers))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _no_personal_data_in_logs():
    _attach_log_grep()  # again: a test may have reconfigured logging
    LOG_GREP_OUTSIDE_TESTS.extend(LOG_GREP.found)
    LOG_GREP.found.clear()
    yield
    found, LOG_GREP.found[:] = list(LOG_GREP.found), []
    if found:
        pytest.fail("CTL-8: personal data written to the log:\n" + "\n".join(found), pytrace=False)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def street(db):
    return f.street_office()


@pytest.fixture
def community_a(street):
    return f.community(street, "甲社区")


@pytest.fixture
def community_b(street):
    return f.community(street, "乙社区")


@pytest.fixture
def staff_a(community_a):
    """A committee member of community A without approving roles."""
    return f.staff(community_a, "甲委员", [Role.MEMBER])


@pytest.fixture
def director_a(community_a):
    return f.staff(community_a, "甲主任", [Role.DIRECTOR])


@pytest.fixture
def secretary_a(community_a):
    return f.staff(community_a, "甲书记", [Role.PARTY_SECRETARY])


@pytest.fixture
def staff_b(community_b):
    return f.staff(community_b, "乙委员", [Role.MEMBER])


@pytest.fixture
def director_b(community_b):
    return f.staff(community_b, "乙主任", [Role.DIRECTOR])


@pytest.fixture
def supervisor(street):
    """A street-office department head: sees and supervises every community of the street."""
    return f.staff(street, "部门负责人", [Role.DEPARTMENT_HEAD])


@pytest.fixture
def street_leader(street):
    return f.staff(street, "分管领导", [Role.STREET_LEADER])


@pytest.fixture
def instructor_a(street, community_a):
    return f.staff(street, "指导员", [Role.INSTRUCTOR], role_community=community_a)


def login(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


@pytest.fixture
def client_a(staff_a):
    return login(staff_a)


@pytest.fixture
def client_director_a(director_a):
    return login(director_a)


@pytest.fixture
def client_b(staff_b):
    return login(staff_b)


@pytest.fixture
def client_street(supervisor):
    return login(supervisor)


# --- real browser (Playwright driving Debian's Chromium; no browser download) -----------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    import os
    import shutil

    path = shutil.which("chromium") or (CHROMIUM if os.path.exists(CHROMIUM) else None)
    if path is None:
        pytest.skip("Debian's chromium is not installed (scripts/system-packages.sh installs it)")
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls made by the test
    # itself (fixtures, assertions) are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (Chinese locale) against the live test server; ``page.base`` is its URL."""
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def browser_login(page, staff, password=f.PASSWORD):
    page.goto("/login/")
    page.fill("#id_username", staff.user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")


def badge_matches_inbox(user) -> int:
    """The nav badge's one query (committee.inbox.badge_counts) counts exactly what the inbox lists: the
    approval steps waiting for ``user`` and every task provider's tasks. Returns the count."""
    from committee import approvals, inbox

    counted = inbox._badge_counts(user)
    listed = approvals.waiting_for(user).count() + len(inbox.tasks_for(user))
    assert counted["inbox"] == listed, f"badge {counted['inbox']}, inbox lists {listed}"
    return counted["inbox"]
