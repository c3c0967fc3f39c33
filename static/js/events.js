// Events: show the B2B window only when B2B is chosen; the Print button of a list. No inline
// scripts (the CSP forbids them).
(function () {
  function sync(root) {
    root.querySelectorAll("[data-b2b-choice]").forEach((block) => {
      const box = block.querySelector("input[type=checkbox]");
      const windowPart = block.querySelector("[data-b2b-window]");
      if (box && windowPart) {
        windowPart.hidden = !box.checked;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", () => sync(document));
  document.addEventListener("change", (event) => {
    const block = event.target.closest("[data-b2b-choice]");
    if (block) {
      sync(block.parentNode || document);
    }
  });
  // htmx 4 names its events htmx:after:swap; a swapped form starts in the right state.
  document.addEventListener("htmx:after:swap", () => sync(document));
})();
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
// The door: a check-in done, the search box is emptied and has the focus for the next in the queue;
// the row checked in stays on screen under it, with its Undo. After portal.js's own handler,
// which put the focus back in the swapped row.
document.addEventListener("htmx:after:settle", (event) => {
  const roots = (event.detail.newContent || []).filter((node) => node.nodeType === Node.ELEMENT_NODE);
  const search = document.getElementById("checkin-q");
  if (search && roots.some((root) => root.matches("[data-door-next]"))) {
    search.value = "";
    search.focus();
  }
});
