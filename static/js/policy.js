/* Filter as you type, for the long reference pages (现行规定 policy, 规则手册 rule book).
   <input data-filter="#container">: every [data-filter-item] inside the container whose text does not
   contain what is typed (case-insensitive) is hidden; a [data-filter-group] whose items are all hidden is
   hidden too; [data-filter-empty] shows when nothing matches. Without script the same input submits ?q=
   and the server filters. */
(function () {
  "use strict";
  function apply(input) {
    var container = document.querySelector(input.getAttribute("data-filter"));
    if (!container) {
      return;
    }
    var q = input.value.trim().toLocaleLowerCase();
    var shown = 0;
    container.querySelectorAll("[data-filter-item]").forEach(function (item) {
      var match = !q || item.textContent.toLocaleLowerCase().indexOf(q) !== -1 ||
        (item.getAttribute("data-filter-text") || "").toLocaleLowerCase().indexOf(q) !== -1;
      item.hidden = !match;
      if (match) {
        shown += 1;
      }
    });
    container.querySelectorAll("[data-filter-group]").forEach(function (group) {
      group.hidden = !group.querySelector("[data-filter-item]:not([hidden])");
    });
    document.querySelectorAll("[data-filter-empty]").forEach(function (el) {
      el.hidden = shown !== 0;
    });
  }
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("input[data-filter]")) {
      apply(el);
    }
  });
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    if (input.value) {
      apply(input);
    }
  });
})();
