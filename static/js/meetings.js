// B2B meetings: print buttons, calendar address selection and copy (no inline scripts: the CSP forbids them).
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
// "Copy" beside a read-only field: its text to the clipboard, and the button says it is done
// (on a phone the address is longer than the field, and selecting it by hand is fiddly).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  const field = button && document.getElementById(button.dataset.copy);
  if (!field) {
    return;
  }
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    document.execCommand("copy");  // no clipboard API (a page served over plain http)
  }
  const label = button.textContent;
  button.textContent = button.dataset.copied;
  window.setTimeout(() => { button.textContent = label; }, 2000);
});
