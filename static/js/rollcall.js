/* Roll call (meetings/roll_call.html): the live count "present 20 / expected 21 · quorum 14" while names are
   ticked, and the late / with-leave choice kept consistent with the tick. The page works without this
   script; the server records the statuses and computes the quorum itself (MTG-3, MTG-6/7). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-rollcall]");
  if (!form) {
    return;
  }
  var box = form.querySelector("[data-rc-count]");
  var out = form.querySelector("[data-rc-present]");
  var state = form.querySelector("[data-rc-state]");
  var all = form.querySelector("[data-rc-all]");
  var quorum = box && box.hasAttribute("data-quorum") ? parseInt(box.getAttribute("data-quorum"), 10) : null;

  function boxes() {
    return form.querySelectorAll(".rc-row input[type=checkbox]");
  }

  function update() {
    var present = 0;
    boxes().forEach(function (cb) {
      var row = cb.closest(".rc-row");
      if (cb.checked) {
        present += 1;
      }
      if (row) {
        row.classList.toggle("rc-on", cb.checked);
      }
    });
    if (out) {
      out.textContent = String(present);
    }
    if (state && quorum !== null) {
      var reached = present >= quorum;
      state.textContent = state.getAttribute(reached ? "data-yes" : "data-no");
      state.classList.toggle("ok", reached);
      state.classList.toggle("bad", !reached);
    }
  }

  form.addEventListener("change", function (event) {
    var el = event.target;
    var row = el.closest(".rc-row");
    if (!row) {
      return;
    }
    var cb = row.querySelector("input[type=checkbox]");
    var detail = row.querySelector("select");
    if (el === cb && detail) {
      // Ticked: here (not on leave); unticked: not late.
      if (cb.checked && detail.value === "excused") {
        detail.value = "";
      } else if (!cb.checked && detail.value === "late") {
        detail.value = "";
      }
    } else if (el === detail && cb) {
      if (detail.value === "late") {
        cb.checked = true;
      } else if (detail.value === "excused") {
        cb.checked = false;
      }
    }
    update();
  });

  if (all) {
    all.hidden = false;
    all.addEventListener("click", function () {
      boxes().forEach(function (cb) {
        var detail = cb.closest(".rc-row").querySelector("select");
        if (!(detail && detail.value === "excused")) {
          cb.checked = true;
        }
      });
      update();
    });
  }
  update();
})();
