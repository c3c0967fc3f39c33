// B2B meetings: print buttons and calendar address selection (no inline scripts: the CSP forbids them).
document.addEventListener("click", (event) => {
  if (event.target.closest(".print-button")) {
    window.print();
  }
});
document.addEventListener("focusin", (event) => {
  if (event.target.matches("input.select-on-focus")) {
    event.target.select();
  }
});
