"""Real concurrent transactions on PostgreSQL (FIN-2, FIN-3, FIN-4): each thread has its own connection.

SQLite serialises writers, so these races cannot happen there; the tests are skipped with that reason.
"""

import threading
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, connections

from committee import approvals
from committee.models import Approval
from finance import services
from finance.models import Cheque, Expense
from tests.finance.conftest import expense

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks and concurrent transactions need PostgreSQL (SQLite serialises writers)"),
]


def race(*jobs):
    """Run the jobs at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = ("ok", job())
        except Exception as e:  # noqa: BLE001 - the outcome is what the test inspects
            results[i] = ("error", e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    close_old_connections()
    return results


def test_fin_2_two_approvers_on_the_same_step_make_one_decision(transactional_db, line_a, staff_a, secretary_a):
    from committee.models import Role
    from tests import factories as f

    other_secretary = f.staff(line_a.community, "另一书记", [Role.PARTY_SECRETARY])
    e = expense(line_a, staff_a.user, "100.00")
    step = approvals.steps_for(e).get()
    results = race(lambda: approvals.decide(step.pk, acting_user=secretary_a.user, approve=True),
                   lambda: approvals.decide(step.pk, acting_user=other_secretary.user, approve=False,
                                            comment="不同意"))
    assert sorted(r[0] for r in results) == ["error", "ok"]
    assert isinstance([r for r in results if r[0] == "error"][0][1], ValidationError)
    step.refresh_from_db()
    assert step.status in (Approval.Status.APPROVED, Approval.Status.REJECTED)
    assert step.history.filter(status__in=["approved", "rejected"]).count() == 1
    e.refresh_from_db()
    assert e.state == (Expense.State.APPROVED if step.status == "approved" else Expense.State.REJECTED)


def test_fin_4_two_cheques_at_once_for_one_community_one_is_issued(transactional_db, line_a, staff_a, secretary_a):
    approved = []
    for _ in range(2):
        e = expense(line_a, staff_a.user, "100.00")
        approvals.decide(approvals.steps_for(e).get().pk, acting_user=secretary_a.user, approve=True)
        approved.append(e)
    results = race(*[lambda e=e: services.apply_cheque(e, project="x", acting_user=staff_a.user)
                     for e in approved])
    assert sorted(r[0] for r in results) == ["error", "ok"]
    assert Cheque.objects.filter(community=line_a.community, state__in=Cheque.UNSETTLED).count() == 1


def test_fin_3_two_expenses_against_the_last_1000_of_a_line_do_not_overspend(
        transactional_db, office_budget, staff_a, secretary_a, instructor_a, supervisor):
    line = services.add_line(budget=office_budget, name="最后九百", amount="900.00", acting_user=supervisor.user)
    first = expense(line, staff_a.user, "900.00")
    second = expense(line, staff_a.user, "900.00")
    for e in (first, second):  # the secretary approves both; the instructor's last steps race
        approvals.decide(approvals.steps_for(e).order_by("step").first().pk, acting_user=secretary_a.user,
                         approve=True)
    last = [approvals.steps_for(e).get(status="pending").pk for e in (first, second)]
    results = race(*[lambda pk=pk: approvals.decide(pk, acting_user=instructor_a.user, approve=True) for pk in last])
    assert all(r[0] == "ok" for r in results)
    committed = sum(e.amount for e in Expense.objects.filter(line=line, state__in=["approved", "paid"]))
    assert committed == D("900.00")
    waiting = Expense.objects.get(line=line, state="pending")
    assert waiting.beyond_budget  # it went on to street leadership (FIN-3)
    assert approvals.steps_for(waiting).get(status="pending").role_required == "street_leader"


def test_fin_7_receipt_numbers_at_once_stay_gapless(transactional_db, community_a, staff_a):
    results = race(*[lambda: services.record_receipt(community=community_a, source="donation", payer="x",
                                                     purpose="x", amount="1.00",
                                                     acting_user=staff_a.user) for _ in range(4)])
    assert all(r[0] == "ok" for r in results)
    assert sorted(r[1].number for r in results) == [1, 2, 3, 4]
