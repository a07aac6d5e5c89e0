"""Issue 9, in a real browser at phone (390) and desktop (1366) widths: the invoice form computes each line's
amount from quantity × unit price as the user types and shows the lines' total live (static/js/lines.js);
after a server refusal every typed field and every line is shown again, the error beside the line, naming
it and the rule (FIN-5); corrected, the invoice is added and the page says what comes next."""

import pytest

from committee import approvals
from finance.models import Expense, Invoice
from tests import factories as f
from tests.finance.conftest import expense

pytestmark = pytest.mark.browser


@pytest.fixture
def approved_transfer(transactional_db, line_a, staff_a, secretary_a):
    e = expense(line_a, staff_a.user, "300.00", method="transfer", purpose="购买打印耗材")
    for step in approvals.steps_for(e).order_by("step"):
        approvals.decide(step.pk, acting_user=secretary_a.user, approve=True)
    e.refresh_from_db()
    assert e.state == Expense.State.APPROVED
    return e


@pytest.mark.parametrize("width", [390, 1366])
def test_fin_5_invoice_form_computes_lines_and_keeps_everything_after_a_refusal(browser, live_server, staff_a,
                                                                              approved_transfer, width):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url,
                                  viewport={"width": width, "height": 900})
    try:
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        errors = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.goto("/login/")
        tab.fill("#id_username", staff_a.user.username)
        tab.fill("#id_password", f.PASSWORD)
        tab.click("button[type=submit]")
        tab.wait_for_url("**/dashboard/")
        tab.goto(f"/finance/expenses/{approved_transfer.pk}/reimbursement/")

        tab.fill("#id_number", "FP-2077")
        tab.fill("#id_total", "295.00")
        tab.fill("#id_lines-0-item", "打印纸")
        tab.locator("#id_lines-0-quantity").press_sequentially("10")
        tab.locator("#id_lines-0-unit_price").press_sequentially("25.5")
        assert tab.input_value("#id_lines-0-amount") == "255.00"  # computed as typed
        tab.fill("#id_lines-1-item", "硒鼓")
        tab.locator("#id_lines-1-quantity").press_sequentially("3")
        tab.locator("#id_lines-1-unit_price").press_sequentially("15")
        assert tab.input_value("#id_lines-1-amount") == "45.00"
        assert tab.text_content("[data-lines-total]") == "300.00"
        assert tab.is_visible("[data-lines-mismatch]")  # 300.00 ≠ 295.00
        # the user overrides a line's amount by hand: the script leaves it, the server checks it
        tab.fill("#id_lines-1-amount", "40.00")
        assert tab.text_content("[data-lines-total]") == "295.00"
        assert not tab.is_visible("[data-lines-mismatch]")
        tab.click("#invoice-form button[type=submit]")

        tab.wait_for_selector("tr.line-errors")
        error = tab.text_content("tr.line-errors")
        assert "第 2 行" in error and "硒鼓" in error and "FIN-5" in error
        for selector, value in (("#id_number", "FP-2077"), ("#id_total", "295.00"), ("#id_lines-0-item", "打印纸"),
                                ("#id_lines-0-quantity", "10"), ("#id_lines-0-unit_price", "25.5"),
                                ("#id_lines-0-amount", "255.00"), ("#id_lines-1-item", "硒鼓"),
                                ("#id_lines-1-quantity", "3"), ("#id_lines-1-unit_price", "15"),
                                ("#id_lines-1-amount", "40.00")):
            assert tab.input_value(selector) == value, selector
        assert tab.get_attribute("#id_lines-1-amount", "aria-invalid") == "true"
        assert tab.text_content("[data-lines-total]") == "295.00"  # the live total is back too
        assert not Invoice.objects.exists()
        if width == 390:  # the form fits the phone: no sideways scrolling of the page
            assert tab.evaluate("document.documentElement.scrollWidth") <= width + 1

        # corrected: the quantity typed again recomputes the amount; the invoice total is fixed
        tab.fill("#id_lines-1-quantity", "3")
        assert tab.input_value("#id_lines-1-amount") == "45.00"
        tab.fill("#id_total", "300.00")
        tab.click("#invoice-form button[type=submit]")
        tab.wait_for_selector("text=发票已添加")
        assert tab.is_visible("text=下一步")  # not a dead end: what is still needed, and who acts
        assert Invoice.objects.get().lines.count() == 2
        assert errors == []
    finally:
        context.close()
