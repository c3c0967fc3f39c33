// Sign-up: the new organisation's fields show only when "A new organisation" is chosen.
(() => {
  const sync = (root) => {
    for (const choice of root.querySelectorAll("[data-organisation-choice]")) {
      const block = choice.form && choice.form.querySelector("[data-new-organisation]");
      if (block) {
        block.hidden = choice.value !== "";
      }
    }
  };
  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-organisation-choice]")) {
      sync(event.target.form);
    }
  });
  document.addEventListener("DOMContentLoaded", () => sync(document));
  document.addEventListener("htmx:after:swap", () => sync(document));
})();
