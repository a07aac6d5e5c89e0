/* Invoice lines (finance, FIN-5): a line's amount is quantity × unit price, filled in as the user types, and
   the sum of the lines is shown live beside the invoice total. The server checks the same rule again; this
   script only helps. No inline script (CSP); loaded on the reimbursement page only.

   Markup: form[data-lines] holds rows tr[data-line] with inputs named …-quantity, …-unit_price, …-amount;
   output[data-lines-total] shows the sum; [data-lines-mismatch] is shown while the sum differs from the
   input named "total"; button[data-add-line] adds an empty line (the formset's TOTAL_FORMS follows).

   Money is counted in fen with BigInt: never a float (FIN-11). Rounding to the fen is half-to-even, like
   the server's Decimal.quantize. */
(function () {
  "use strict";

  var MONEY = /^\d{1,10}(\.\d{1,2})?$/;

  /* "1,200.5" → 120050n (hundredths), or null when not an amount with at most two decimals. */
  function hundredths(text) {
    var clean = String(text || "").replace(/[,，¥\s]/g, "");
    if (!MONEY.test(clean)) {
      return null;
    }
    var parts = clean.split(".");
    var frac = ((parts[1] || "") + "00").slice(0, 2);
    return BigInt(parts[0]) * 100n + BigInt(frac);
  }

  /* quantity (hundredths) × price (fen) → fen, rounded half to even. */
  function lineFen(qty, price) {
    var product = qty * price; /* in 1/100 fen */
    var fen = product / 100n;
    var rest = product % 100n;
    if (rest > 50n || (rest === 50n && fen % 2n === 1n)) {
      fen += 1n;
    }
    return fen;
  }

  /* 120050n → "1200.50" (what the field holds) and "1,200.50" (what the page shows). */
  function plain(fen) {
    var s = fen.toString();
    while (s.length < 3) {
      s = "0" + s;
    }
    return s.slice(0, -2) + "." + s.slice(-2);
  }

  function grouped(fen) {
    var p = plain(fen).split(".");
    return p[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + p[1];
  }

  function field(row, suffix) {
    return row.querySelector("input[name$='-" + suffix + "']");
  }

  function refreshTotal(form) {
    var sum = 0n;
    var any = false;
    form.querySelectorAll("tr[data-line]").forEach(function (row) {
      var amount = field(row, "amount");
      var value = amount ? hundredths(amount.value) : null;
      if (value !== null) {
        sum += value;
        any = true;
      }
    });
    var out = form.querySelector("[data-lines-total]");
    if (out) {
      out.textContent = any ? grouped(sum) : "—";
    }
    var warn = form.querySelector("[data-lines-mismatch]");
    var total = form.querySelector("input[name='total']");
    if (warn && total) {
      var expected = hundredths(total.value);
      warn.hidden = !any || expected === null || expected === sum;
    }
  }

  function computeLine(row) {
    var qty = hundredths(field(row, "quantity").value);
    var price = hundredths(field(row, "unit_price").value);
    var amount = field(row, "amount");
    if (qty !== null && price !== null && amount) {
      amount.value = plain(lineFen(qty, price));
    }
  }

  function addLine(form) {
    var rows = form.querySelectorAll("tr[data-line]");
    var last = rows[rows.length - 1];
    var totalForms = form.querySelector("input[name$='-TOTAL_FORMS']");
    if (!last || !totalForms) {
      return;
    }
    var index = parseInt(totalForms.value, 10);
    var copy = last.cloneNode(true);
    copy.classList.remove("has-error");
    copy.querySelectorAll("input, label").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) {
          el.setAttribute(attr, value.replace(/-\d+-/, "-" + index + "-"));
        }
      });
      if (el.tagName === "INPUT") {
        el.value = "";
        el.removeAttribute("aria-invalid");
      }
      if (el.tagName === "LABEL") {
        el.textContent = el.textContent.replace(/\d+/, String(index + 1));
      }
    });
    var after = last.nextElementSibling;
    while (after && !after.hasAttribute("data-line")) {
      last = after;
      after = after.nextElementSibling;
    }
    last.parentNode.insertBefore(copy, last.nextSibling);
    totalForms.value = String(index + 1);
    var first = copy.querySelector("input");
    if (first) {
      first.focus();
    }
  }

  document.querySelectorAll("form[data-lines]").forEach(function (form) {
    form.addEventListener("input", function (event) {
      var el = event.target;
      var row = el.closest ? el.closest("tr[data-line]") : null;
      if (row && /-(quantity|unit_price)$/.test(el.name || "")) {
        computeLine(row);
      }
      refreshTotal(form);
    });
    form.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("[data-add-line]")) {
        event.preventDefault();
        addLine(form);
      }
    });
    refreshTotal(form);
  });
})();
