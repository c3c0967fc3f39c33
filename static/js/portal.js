// Passerelle's small behaviours; no inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// After a form comes back with errors, the first field in error takes the focus, so keyboard
// and screen-reader users land on it: on a page load, and after an htmx swap that a submit
// caused (never while live search swaps results under the typing).
const focusFirstError = () => {
  const invalid = document.querySelector('main [aria-invalid="true"]');
  const field = invalid && invalid.matches("fieldset") ? invalid.querySelector("input, select, textarea") : invalid;
  if (field) {
    field.focus();
  }
};
let submitted = false;
document.addEventListener("submit", () => { submitted = true; });
document.addEventListener("htmx:after:swap", () => {
  if (submitted) {
    submitted = false;
    focusFirstError();
  }
});
document.addEventListener("DOMContentLoaded", focusFirstError);
