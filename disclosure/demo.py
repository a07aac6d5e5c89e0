"""Demo data of the disclosure chapter (idempotent: a community that already has notices gets nothing new).

For each community of the demo street: three notices on the public board (/board/<code>/), one expired (in
the archive only), one draft and one waiting for the director's approval; the notices of the chapters
whose composers are registered (finance, seals …) are composed from the records when they offer a subject."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from committee import approvals
from committee.models import Community, Staff, StreetOffice
from disclosure import composers, rules, services
from disclosure.models import Category, Notice


def _base_url() -> str:
    """The QR codes of the demo's notices point at the public address, else where `make run` serves."""
    return settings.DISCLOSURE_PUBLIC_BASE_URL or "http://127.0.0.1:8000"

FREE = [
    ("other", "关于小区二次供水设施清洗停水的通知",
     "因二次供水设施年度清洗消毒，本周六上午8时至12时停水，请居民提前储水。\n给您带来不便，敬请谅解。\n特此通知。"),
    ("policy", "居务公开：城乡居民医疗保险缴费办法",
     "2027年度城乡居民医疗保险集中缴费期为本年12月1日至次年2月28日。\n办理地点：社区服务站一层便民服务窗口，工作日9:00—17:00。"),
    ("donations", "“慈善一日捐”收款情况公示",
     "本次“慈善一日捐”活动共收到居民捐款，明细见社区服务站，已全部上缴街道慈善协会。\n欢迎居民监督。"),
]


def _approve(notice):
    step = approvals.steps_for(notice).filter(status="pending").first()
    if step is None:
        return
    deciders = approvals.eligible_deciders(step)
    if deciders:
        approvals.decide(step.pk, acting_user=deciders[0].user, approve=True, comment="同意")


def _issue(notice, drafter, days):
    notice.refresh_from_db()
    if notice.status != Notice.Status.APPROVED:
        return None
    today = timezone.localdate()
    try:
        return services.issue(notice, posted_from=today, posted_until=today + dt.timedelta(days=days - 1),
                              acting_user=drafter.user, base_url=_base_url())
    except ValidationError:
        return None


def load(stdout=None) -> None:
    with translation.override("zh-hans"):
        _load(stdout)


@transaction.atomic
def _load(stdout=None) -> None:
    street = StreetOffice.objects.filter(code="changan").first()
    if street is None:
        return
    for community in Community.objects.filter(street_office=street).order_by("pk"):
        if Notice.objects.filter(community=community).exists():
            _cadence(community, stdout)
            continue
        drafter = Staff.objects.filter(user__username=f"{community.code}.member").select_related("user").first()
        if drafter is None:
            continue
        try:
            for key, title, body in FREE:
                n = services.create_free_text(community=community, category_key=key, title=title, body=body,
                                              acting_user=drafter.user)
                services.submit(n, acting_user=drafter.user)
                _approve(n)
                _issue(n, drafter, 15)
            old = services.create_free_text(
                community=community, category_key="other", title="关于开展秋季爱国卫生运动的通知",
                body="请各楼门长组织居民清理楼道杂物。", acting_user=drafter.user)
            services.submit(old, acting_user=drafter.user)
            _approve(old)
            old = _issue(old, drafter, 7)
            if old is not None:  # its period is over: in the archive, no longer on the board
                Notice.objects.filter(pk=old.pk).update(posted_from=old.posted_from - dt.timedelta(days=40),
                                                        posted_until=old.posted_from - dt.timedelta(days=33))
            for composer in composers.all_composers():
                subjects = services.subjects(composer, community)
                if not subjects:
                    continue
                try:
                    n = services.compose(community=community, composer_key=composer.key, subject=subjects[0].key,
                                         acting_user=drafter.user)
                    services.submit(n, acting_user=drafter.user)
                    _approve(n)
                    _issue(n, drafter, 30)
                except ValidationError:
                    continue
            services.create_free_text(community=community, category_key="plans", title="社区2027年工作计划（草稿）",
                                      body="一、加强网格化服务。\n二、推进老旧小区加装电梯。", acting_user=drafter.user)
            waiting = services.create_free_text(
                community=community, category_key="targets", title="居委会成员2026年度考核结果公示",
                body="经居民代表会议测评，居委会成员年度考核均为称职以上。", acting_user=drafter.user)
            services.submit(waiting, acting_user=drafter.user)
            _cadence(community, stdout)
        except ValidationError as e:  # a demo community without the roles it needs: skip it
            if stdout:
                stdout.write(f"disclosure demo: {community.name}: {' '.join(e.messages)}")


CADENCE_TEXT = {  # DIS-2: what a committee posts each quarter / half year in the categories without a composer
    "plans": ("社区本季度工作计划和重点工作进展", "一、网格化服务：完成入户走访。\n二、老旧小区加装电梯：两个楼门已完成意见征集。"),
    "targets": ("居委会成员工作目标和考评情况", "本期居委会成员工作目标完成情况已经居民代表测评，结果见社区服务站。"),
}
CADENCE_DEFAULT = ("{label}情况公开", "本期{label}情况见社区服务站公示栏，欢迎居民查询和监督。")


def _cadence(community, stdout=None) -> None:
    """DIS-2: each quarterly / half-yearly category has a notice posted in the current period, composed from the
    records where a composer offers a subject, else typed. Idempotent: a category posted this period is left
    alone. One category (the last) is left unposted: the dashboard shows the reminder working."""
    drafter = Staff.objects.filter(user__username=f"{community.code}.member").select_related("user").first()
    if drafter is None:
        return
    today = timezone.localdate()
    cats = [c for c in Category.objects.exclude(cadence=Category.Cadence.AS_NEEDED).order_by("pk")
            if services.cadence_months(c, community)]
    by_cat = {}
    for composer in composers.all_composers():
        by_cat.setdefault(composer.category, composer)
    for cat in cats[:-1]:
        start, _end = rules.period_of(today, services.cadence_months(cat, community))
        if Notice.objects.filter(community=community, category=cat.key, posted_from__gte=start,
                                 posted_from__lte=today).exists():
            continue
        notice = None
        composer = by_cat.get(cat.key)
        try:
            if composer is not None:
                subjects = services.subjects(composer, community)
                if subjects:
                    notice = services.compose(community=community, composer_key=composer.key,
                                              subject=subjects[0].key, acting_user=drafter.user)
            if notice is None:
                title, body = CADENCE_TEXT.get(cat.key, CADENCE_DEFAULT)
                notice = services.create_free_text(community=community, category_key=cat.key,
                                                   title=title.format(label=cat.label)[:200],
                                                   body=body.format(label=cat.label), acting_user=drafter.user)
            services.submit(notice, acting_user=drafter.user)
            _approve(notice)
            _issue(notice, drafter, 30)
        except ValidationError as e:
            if stdout:
                stdout.write(f"disclosure demo: {community.name} {cat.label}: {' '.join(e.messages)}\n")
