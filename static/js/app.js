/* The product's only script (the Content-Security-Policy allows no inline script or event handler).
   - [data-autosubmit]: a select or input that submits its form when changed (filters, switchers).
   - .nav-toggle: opens and closes the main navigation on small screens. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest(".nav-toggle") : null;
    if (!button) {
      return;
    }
    var open = document.body.classList.toggle("nav-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
