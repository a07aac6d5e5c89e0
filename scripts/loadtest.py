"""Bounded load test (issue 17, Serving): USERS concurrent staff members doing the day's work against
gunicorn with several workers + WhiteNoise + PostgreSQL, started the way `make serve` starts production,
on loopback only, for DURATION seconds (default 120); then it stops by itself and reports errors, the p95
per action and the rows counted after the run (no lost or doubled row).

Each virtual user: log in, sign in for the day (once), open the dashboard, request a day of leave; the
community's director (logged in the same way) approves the first step and a street-office department head
the second (ATT-3), so every request ends approved. Standard library only (threads + urllib).

    make load                                   # throwaway PostgreSQL database, 50 users, 2 minutes
    DURATION=20 USERS=10 make load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<migrated, seeded db> .venv/bin/python scripts/loadtest.py
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
USERS = int(os.environ.get("USERS", "50"))
DURATION = float(os.environ.get("DURATION", "120"))
WORKERS = os.environ.get("WEB_CONCURRENCY", "4")
PASSWORD = "load-" + secrets.token_hex(8)


def d_iso(day) -> str:
    return day.isoformat()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare():
    """Users with a password for USERS staff members spread over the seeded communities and their directors."""
    import django

    django.setup()
    from committee.models import Community, Role, RoleAssignment, Staff, User

    communities = list(Community.objects.filter(code__startswith="scale").order_by("code"))
    if not communities:
        sys.exit("loadtest: no seeded communities: run manage.py seed_scale first")
    workers, directors = [], {}
    for c in communities:
        director = Staff.objects.filter(community=c, roles__role=Role.DIRECTOR).first()
        directors[c.pk] = director
    per = max(1, -(-USERS // len(communities)))
    for c in communities:
        for s in Staff.objects.filter(community=c).exclude(pk=directors[c.pk].pk).order_by("pk")[:per]:
            workers.append(s)
    workers = workers[:USERS]

    def login_for(s):
        user = s.user or User(username=f"load{s.pk}")
        user.set_password(PASSWORD)
        user.must_change_password = False
        user.save()
        if s.user_id != user.pk:
            s.user = user
            s.save(update_fields=["user"])
        return user.username

    # (login, community, staff id): the keeper's form asks whose leave it is, everyone names themself
    plan = [(login_for(s), s.community_id, s.pk) for s in workers]
    # each user asks for days after their last leave (a rerun on the same database asks for new days)
    from django.db.models import Max

    from attendance.models import LeaveRequest

    last = dict(LeaveRequest.objects.filter(staff__in=workers).values_list("staff").annotate(Max("end")))
    starts = {s.pk: last.get(s.pk) for s in workers}
    director_logins = {cid: login_for(d) for cid, d in directors.items() if any(c == cid for _, c, _s in plan)}
    head, created = Staff.objects.get_or_create(street_office=communities[0].street_office, community=None,
                                                name="负载测试部门负责人")
    if created:
        RoleAssignment.objects.create(staff=head, role=Role.DEPARTMENT_HEAD, start=dt.date(2020, 1, 1))
    return plan, director_logins, login_for(head), starts


class Session:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path):
        with self.opener.open(self.base + path, timeout=60) as r:
            return r.status, r.read().decode()

    def post(self, path, data):
        data = {**data, "csrfmiddlewaretoken": self.csrf()}
        req = urllib.request.Request(self.base + path, urllib.parse.urlencode(data).encode(),
                                     headers={"Referer": self.base + path})
        with self.opener.open(req, timeout=60) as r:
            return r.status, r.read().decode(), r.url

    def login(self, username):
        self.get("/login/")
        status, _body, url = self.post("/login/", {"username": username, "password": PASSWORD})
        if "/login/" in url:
            raise RuntimeError(f"login refused for {username}")


def main():
    plan, director_logins, head_login, starts = prepare()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("loadtest: warning: not PostgreSQL (DATABASE_URL)", flush=True)
    from attendance.models import LeaveRequest, SignIn
    from committee.models import Approval

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(40), "ALLOWED_HOSTS": "127.0.0.1",
           "CSRF_TRUSTED_ORIGINS": base, "HOST": f"127.0.0.1:{port}", "WEB_CONCURRENCY": WORKERS,
           "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0", "SECURE_SSL_REDIRECT": "0",
           "SECURE_HSTS_SECONDS": "0", "GUNICORN_ACCESS_LOG": "/dev/null"}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.conf.py"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        before = (SignIn.objects.count(), LeaveRequest.objects.count())
        times: dict[str, list[float]] = {}
        errors: list[str] = []
        made: list[int] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + DURATION
        today = dt.date.today()

        def timed(action, fn):
            start = time.perf_counter()
            try:
                return fn()
            except Exception as e:  # noqa: BLE001 — every failure is counted and reported
                with lock:
                    errors.append(f"{action}: {e}")
                return None
            finally:
                with lock:
                    times.setdefault(action, []).append(time.perf_counter() - start)

        def user(username, community_id, staff_id):
            s = Session(base)
            timed("login", lambda: s.login(username))
            timed("sign in", lambda: s.post("/attendance/sign/", {"action": "in"}))
            day = max(today, starts.get(staff_id) or today)
            while time.monotonic() < stop_at:
                timed("dashboard", lambda: s.get("/dashboard/"))
                day += dt.timedelta(days=1)
                while day.weekday() >= 5:
                    day += dt.timedelta(days=1)
                result = timed("request leave", lambda d=day: s.post(
                    "/attendance/leave/new/", {"staff": staff_id, "kind": "personal", "length": "day",
                                               "day": d.isoformat(), "reason": "负载测试"}))
                if result:
                    m = re.search(r"/attendance/leave/(\d+)/", result[2])
                    if not m:
                        why = [re.sub(r"<[^>]+>", "", w).strip() for w in
                               re.findall(r'<div class="errors?" role="alert">(.*?)</div>', result[1], re.S)]
                        with lock:
                            errors.append(f"request leave {d_iso(day)}: refused: {why[:2] or result[2]}")
                        continue
                    with lock:
                        made.append(int(m.group(1)))
                    approve(community_id, int(m.group(1)))

        directors = {cid: Session(base) for cid in director_logins}
        for cid, login in director_logins.items():
            timed("login", lambda s=directors[cid], u=login: s.login(u))
        head = Session(base)
        timed("login", lambda: head.login(head_login))
        dlocks = {cid: threading.Lock() for cid in director_logins}
        head_lock = threading.Lock()

        def approve(community_id, leave_pk):
            # ATT-3: the director decides the first step, the department head the next (one session each,
            # used by one thread at a time, as one person works through the inbox)
            for who, session, session_lock in (("director", directors[community_id], dlocks[community_id]),
                                               ("department head", head, head_lock)):
                step = (Approval.objects.filter(object_id=leave_pk, content_type__model="leaverequest",
                                                status="pending").order_by("step").first())
                if step is None:
                    return
                with session_lock:
                    timed("approve", lambda s=session, pk=step.pk: s.post(
                        f"/approvals/{pk}/decide/", {"decision": "approve", "comment": ""}))
                if Approval.objects.filter(pk=step.pk, status="pending").exists():
                    with lock:
                        errors.append(f"approve: the {who}'s step of leave {leave_pk} is still pending")
                    return

        threads = [threading.Thread(target=user, args=(u, c, s)) for u, c, s in plan]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        after = (SignIn.objects.count(), LeaveRequest.objects.count())
        total = sum(len(v) for v in times.values())
        print(f"loadtest: {len(plan)} users, {DURATION:.0f} s, gunicorn {WORKERS} workers, {connection.vendor}")
        print(f"{'action':<14} {'n':>6} {'median ms':>10} {'p95 ms':>8}")
        for action, values in times.items():
            values.sort()
            p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
            print(f"{action:<14} {len(values):6d} {statistics.median(values) * 1000:10.1f} {p95 * 1000:8.1f}")
        print(f"requests: {total}, errors: {len(errors)}")
        for e in errors[:10]:
            print("  ", e)
        approved = LeaveRequest.objects.filter(pk__in=made, state="approved").count()
        print(f"rows: sign-ins +{after[0] - before[0]} (expected ≤ {len(plan)}), leave +{after[1] - before[1]} "
              f"(posted {len(made)}, distinct {len(set(made))}), approved {approved}")
        ok = not errors and after[1] - before[1] == len(set(made)) == len(made) == approved
        print("loadtest:", "OK" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
