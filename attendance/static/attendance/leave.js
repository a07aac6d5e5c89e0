/* The leave form (attendance/leave_form.html): with "morning", "afternoon" or "whole day" chosen only the
   date is shown; "several days" shows the first and last day with their halves. Without this script every
   field shows and the server reads the ones the choice needs. */
(function () {
  "use strict";
  function fieldOf(el) {
    return el.closest(".field") || el;
  }
  function update(form) {
    var chosen = form.querySelector("input[name=length]:checked");
    var longer = chosen && chosen.value === "longer";
    form.querySelectorAll("[data-leave-longer]").forEach(function (el) {
      fieldOf(el).hidden = !longer;
    });
    form.querySelectorAll("[data-leave-short]").forEach(function (el) {
      fieldOf(el).hidden = longer;
    });
  }
  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("input[name=length]")) {
      return;
    }
    update(form);
    form.addEventListener("change", function (event) {
      if (event.target && event.target.name === "length") {
        update(form);
      }
    });
  });
})();
