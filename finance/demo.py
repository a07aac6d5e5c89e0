"""Finance demo: a year's budgets for each demo community, expenses in every approval tier (some still
waiting for street.cbdirector and heping.secretary), cheques (one overdue in 和平), reimbursements,
self-managed income with numbered receipts, and an audit. Idempotent: a community that already has this
year's office budget is left alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.db import transaction
from django.utils import timezone

from committee import approvals, calendar
from committee.models import Community, Staff
from finance import services
from finance.models import Audit, Budget, Expense, FundType

BUDGETS = {
    FundType.OFFICE: [("办公用品", "8000.00"), ("水电通讯", "6000.00"), ("会议培训", "3000.00")],
    FundType.WELFARE: [("文体活动", "20000.00"), ("助老服务", "15000.00")],
    FundType.SPECIAL: [("环境整治专项", "10000.00")],
    FundType.SELF_MANAGED: [("楼道保洁", "5000.00"), ("社区活动", "3000.00")],
}


def _user(username):
    return Staff.objects.select_related("user").get(user__username=username).user


def _approve_all(expense):
    """Decide every step with the demo holder of its role."""
    from committee.models import Role

    holders = {Role.PARTY_SECRETARY: f"{expense.community.code}.secretary", Role.INSTRUCTOR: "street.instructor",
               Role.BUILDING_OFFICE_DIRECTOR: "street.cbdirector", Role.STREET_LEADER: "street.leader"}
    while True:
        step = approvals.steps_for(expense).filter(status="pending").order_by("step").first()
        if step is None:
            break
        approvals.decide(step.pk, acting_user=_user(holders[step.role_required]), approve=True, comment="同意")
    expense.refresh_from_db()
    return expense


def _backdate(expense, requested_on, paid_on=None):
    Expense.objects.filter(pk=expense.pk).update(requested_on=requested_on, approved_on=requested_on,
                                                 **({"paid_on": paid_on} if paid_on else {}))


def _reimburse(expense, handler, cashier, paid_on, cheque_number=""):
    services.add_invoice(expense, kind="invoice", number=f"FP{expense.pk:06d}", date=paid_on,
                         cheque_number=cheque_number, total=expense.amount,
                         lines=[(expense.purpose[:20], D("1"), expense.amount, expense.amount)], acting_user=handler)
    # FIN-5: each signature is that person's own act in their own login.
    code = expense.community.code
    services.sign_reimbursement(expense, kind="handler", acting_user=handler)
    services.sign_reimbursement(expense, kind="station_head", acting_user=_user(f"{code}.station"))
    services.sign_reimbursement(expense, kind="director", acting_user=_user(f"{code}.director"))
    services.complete_reimbursement(expense, acting_user=cashier)
    _backdate(expense, paid_on - dt.timedelta(days=5), paid_on)


@transaction.atomic
def load(stdout=None) -> None:
    today = timezone.localdate()
    year = today.year
    calendar.ensure_year(year)
    cashier = _user("street.finance")
    communities = {c.code: c for c in Community.objects.filter(code__in=["heping", "yinxing", "chunhui"])}
    for index, community in enumerate(communities[code] for code in ("heping", "yinxing", "chunhui")
                                      if code in communities):
        if Budget.objects.filter(community=community, year=year, fund_type=FundType.OFFICE).exists():
            continue
        code = community.code
        handler = _user(f"{code}.service")
        lines = {}
        for fund, rows in BUDGETS.items():
            # CTL-4: the street office's finance sets the budgets; the community sees them.
            budget = services.create_budget(community=community, year=year, fund_type=fund, acting_user=cashier,
                                            note=f"{year}年度预算", reason="街道下达年度预算")
            for name, amount in rows:
                lines[name] = services.add_line(budget=budget, name=name, amount=amount, acting_user=cashier,
                                                reason="街道下达年度预算")

        # Self-managed income: numbered receipts over the year (FIN-7).
        for month, source, payer, purpose, amount in [
            (2, "cleaning", "3号楼住户（共24户）", "一季度楼道保洁费", "1440.00"),
            (4, "sponsorship", "和信超市", "共建社区文化活动赞助", "2000.00"),
            (6, "scrap", "废品回收站", "废旧物处理", "186.50"),
            (8, "donation", "王淑珍", "个人捐赠助老服务", "500.00"),
            (10, "cleaning", "5号楼住户（共30户）", "三季度楼道保洁费", "1800.00"),
        ]:
            received = min(dt.date(year, month, 15), today)
            services.record_receipt(community=community, source=source, payer=payer, purpose=purpose, amount=amount,
                                    received_on=received, late_reason="" if received == today else "演示数据补录",
                                    acting_user=handler, line=lines["楼道保洁"])

        # Paid expenses through the year, one per tier (FIN-2), reimbursed by transfer.
        for month, line, purpose, amount in [
            (3, "办公用品", "购买打印纸和墨盒", "320.00"),
            (5, "会议培训", "居民代表培训资料印制", "780.00"),
            (7, "文体活动", "夏季纳凉晚会演出服装", "2600.00"),
            (9, "水电通讯", "三季度办公室电话费", "456.80"),
        ]:
            paid_on = calendar.next_working_day(min(dt.date(year, month, 12), today))
            e = services.request_expense(community=community, acting_user=handler, line=lines[line], purpose=purpose,
                                         amount=D(amount), payee="北京市西城区供应商", method="transfer")
            _approve_all(e)
            _reimburse(e, handler, cashier, paid_on)

        # A cheque: settled in two communities; in 和平 issued 15 working days ago and still unsettled (FIN-4).
        e = services.request_expense(community=community, acting_user=handler, line=lines["助老服务"],
                                     purpose="重阳节慰问老人物品", amount=D("1200.00"), payee="华联商厦",
                                     method="cheque")
        _approve_all(e)
        cheque = services.apply_cheque(e, project="重阳节慰问", acting_user=handler)
        issued_on = calendar.next_working_day(today - dt.timedelta(days=24 if index == 0 else 6))
        cheque = services.issue_cheque(cheque, number=f"3011{index}0{year % 100}", receiver=Staff.objects.get(
            user__username=f"{code}.service").name, receiver_signed=True, department_confirmed=True,
            accountant_checked=True, budget_checked=True, acting_user=cashier, issued_on=issued_on)
        if index != 0:
            _reimburse(e, handler, cashier, today, cheque_number=cheque.number)

        # Waiting: one for the community secretary, one for the community-building office director.
        services.request_expense(community=community, acting_user=handler, line=lines["办公用品"],
                                 purpose="购买会议室椅子套", amount=D("260.00"), payee="家居城", method="transfer")
        services.request_expense(community=community, acting_user=handler, line=lines["文体活动"],
                                 purpose="社区合唱队音响设备", amount=D("3800.00"), payee="华声电器商店",
                                 method="transfer")
        # Beyond the line: street leadership is asked too (FIN-3).
        services.request_expense(community=community, acting_user=handler, line=lines["会议培训"],
                                 purpose="楼门长培训场地租用", amount=D("2500.00"), payee="街道文化中心",
                                 method="transfer")

        # Self-managed spending on a joint-meeting decision with its purpose and ceiling, when the meetings app
        # has one (FIN-7): the bookkeeper records the ceiling; the spending stays within what is left.
        decision = services.joint_decisions(community).first()
        if decision is not None:
            fd = services.record_fund_decision(community=community, decision=decision, purpose="楼道保洁员劳务",
                                               ceiling=D("1500.00"), acting_user=_user(f"{code}.bookkeeper"))
            services.request_expense(community=community, acting_user=handler, line=lines["楼道保洁"],
                                     purpose="楼道保洁员劳务费", amount=D("900.00"), payee="保洁员张师傅",
                                     payee_is_person=True, method="transfer", fund_decision=fd)
        # Possible splitting for the street office's list: two purchases from one shop within days, each below
        # the middle tier, together above it (FIN-2).
        for purpose, amount in (("购买活动用矿泉水", "460.00"), ("购买活动用水果", "380.00")):
            services.request_expense(community=community, acting_user=handler, line=lines["办公用品"], purpose=purpose, amount=D(amount),
                                     payee="和信超市", method="transfer")

        # FIN-9: 和平's first-half audit is done; the others show it due.
        if index == 0 and today >= dt.date(year, 7, 1):
            audited = min(dt.date(year, 7, 20), today)
            services.record_audit(community=community, kind=Audit.Kind.PERIODIC, done_on=audited,
                                  late_reason="" if audited == today else "演示数据补录",
                                  auditors="街道内审小组：潘明、杜晓梅", findings="账目清楚，票据齐全。",
                                  period_start=dt.date(year, 1, 1), period_end=dt.date(year, 6, 30),
                                  acting_user=_user("street.cbdirector"))
        if stdout is not None:
            stdout.write(f"  finance: {community.name} budgets, expenses, cheques and receipts loaded")
