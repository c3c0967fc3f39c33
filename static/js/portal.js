// Passerelle's small behaviours; no inline scripts (the Content-Security-Policy forbids them).
// A form that posts and leaves the page is sent once: a double click, or a second click while the
// next page loads, would ask its confirmation again and post it twice (the second answer, which is
// the page shown, then says "nothing was sent"). Decided on the window, after every listener of the
// form and the document: a submit that htmx sends (it listens on the form) or that a question
// stopped (changing language over a typed form) does not leave the page.
let leaving = new WeakSet();
const sending = (button) => button.form && leaving.has(button.form);
// A button named "confirm_question" asks its question (its value) first; answered yes, the form
// says so (without JavaScript, the server asks it on a page of its own: portal/confirmation.py).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[name=confirm_question]");
  if (!button) {
    return;
  }
  if (sending(button) || !window.confirm(button.value)) {
    event.preventDefault();
  } else if (button.form && !button.form.elements.confirm_answer) {
    const answer = document.createElement("input");
    Object.assign(answer, {type: "hidden", name: "confirm_answer", value: "yes"});
    button.form.append(answer);
  }
});
window.addEventListener("submit", (event) => {
  const form = event.target;
  if (leaving.has(form)) {
    event.preventDefault();
  } else if (!event.defaultPrevented && form.method === "post") {
    leaving.add(form);
  }
});
// Back to a page kept in the browser's memory: its forms may be sent again.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    leaving = new WeakSet();
  }
});

// The language switch comes back to the address shown, which htmx may have changed since the
// page loaded (live search and filters push theirs).
document.addEventListener("submit", (event) => {
  const next = event.target.matches(".language-switch") && event.target.elements.next;
  if (next) {
    next.value = window.location.pathname + window.location.search;
  }
});

// What is typed into a form that saves (a POST form) goes with the page when it changes language:
// ask first. A search's words are in the address, which the switch comes back to.
const changed = (form) => [...form.elements].some((field) => {
  if (field.type === "hidden" || field.type === "submit" || field.disabled) {
    return false;
  }
  if (field.type === "checkbox" || field.type === "radio") {
    return field.checked !== field.defaultChecked;
  }
  if (field.tagName === "SELECT") {
    // A list with no option chosen in the page shows its first: only another choice is a change.
    if (!field.multiple && ![...field.options].some((option) => option.defaultSelected)) {
      return field.selectedIndex > 0;
    }
    return [...field.options].some((option) => option.selected !== option.defaultSelected);
  }
  return field.value !== field.defaultValue;
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches(".language-switch")) {
    return;
  }
  const typed = [...document.querySelectorAll('main form[method="post"]')].some(changed);
  if (typed && !window.confirm(form.dataset.unsaved)) {
    event.preventDefault();
  }
});

// Enter after live search has already shown (and pushed) what was typed would push the same
// address again, and Back would then seem to do nothing: the same address replaces instead.
document.addEventListener("htmx:before:history:update", (event) => {
  const update = event.detail.history;
  if (update.type === "push" && new URL(update.path, window.location.href).href === window.location.href) {
    update.type = "replace";
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

// An htmx swap that replaces the focused element (outerHTML rows, forms, lists) would drop the
// focus to <body>. Before the swap, remember how to find the focused control again; after it,
// focus its counterpart in the new content, else the new content's first control, else the new
// content itself. Focus outside the swapped element (the live search box) is left alone.
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
const focusables = (roots) => roots.flatMap((root) => [
  ...(root.matches(FOCUSABLE) ? [root] : []), ...root.querySelectorAll(FOCUSABLE)]);
const controlText = (element) => (element.getAttribute("aria-label") || element.textContent).trim();
// The row (an element with an id) holding the control, and the rows beside it: a row that a
// swap took away (a deleted item) leaves the focus on the next one, else the one before.
const rowOf = (element, target) => {
  const row = element.parentElement?.closest("[id]");
  return row && row !== target && target.contains(row) ? row : null;
};
const describe = (element, target) => ({
  row: rowOf(element, target)?.id,
  next: rowOf(element, target)?.nextElementSibling?.id,
  previous: rowOf(element, target)?.previousElementSibling?.id,
  id: element.id,
  tag: element.tagName,
  name: element.getAttribute("name"),
  value: element.getAttribute("value"),
  action: element.form ? element.form.getAttribute("action") : element.getAttribute("href") || element.getAttribute("hx-get"),
  text: controlText(element),
  index: focusables([target]).indexOf(element),
  count: focusables([target]).length,
});
const matching = (marker, roots) => {
  const candidates = focusables(roots);
  const same = (element) => element.tagName === marker.tag;
  const action = (element) => (element.form ? element.form.getAttribute("action")
    : element.getAttribute("href") || element.getAttribute("hx-get"));
  return (marker.id && candidates.find((element) => element.id === marker.id))
    || (marker.name && candidates.find((element) => same(element) && element.getAttribute("name") === marker.name
      && element.getAttribute("value") === marker.value && action(element) === marker.action))
    || (marker.action && candidates.find((element) => same(element) && action(element) === marker.action
      && controlText(element) === marker.text))
    // A control of the same resource: a saved edit form's row comes back with its "Edit" link,
    || (marker.action && candidates.find((element) => (action(element) || "").startsWith(`${marker.action}/`)))
    // and an "Edit" link's form comes in at its first field (the form of the closest resource).
    || (marker.tag === "A" && marker.action && candidates.filter((element) => action(element) && marker.action.startsWith(`${action(element)}/`))
      .reduce((best, element) => (!best || action(element).length > action(best).length ? element : best), undefined))
    || (marker.row && !roots.some((root) => root.querySelector(`[id="${marker.row}"]`))
      && [marker.next, marker.previous].map((id) => id && roots.map((root) => root.querySelector(`[id="${id}"]`)).find(Boolean))
        .map((row) => row && focusables([row])[0]).find(Boolean))
    // The same place in content of the same shape; other content starts at its first control.
    || (marker.index >= 0 && candidates.length === marker.count && candidates[marker.index])
    || candidates[0];
};
const pendingFocus = new WeakMap();  // per swap task: a task that never settles leaves nothing behind
document.addEventListener("htmx:before:swap", (event) => {
  const active = document.activeElement;
  if (!active || active === document.body) {
    return;
  }
  for (const task of event.detail.tasks || []) {
    const target = typeof task.target === "string" ? document.querySelector(task.target) : task.target;
    if (target && target.contains(active) && (target !== active || task.swapSpec?.style === "outerHTML")) {
      pendingFocus.set(task, describe(active, target));
    }
  }
});
document.addEventListener("htmx:after:settle", (event) => {
  const marker = pendingFocus.get(event.detail.task);
  if (!marker) {
    return;
  }
  pendingFocus.delete(event.detail.task);
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) {
    return;  // htmx found it again by its id
  }
  const roots = (event.detail.newContent || []).filter((node) => node.nodeType === Node.ELEMENT_NODE);
  const found = matching(marker, roots);
  if (found) {
    found.focus();
  } else if (roots.length) {
    roots[0].setAttribute("tabindex", "-1");
    roots[0].focus();
  }
});

// Swapped-in content announces itself through the page's one stable status region: a region
// that is itself replaced is new to screen readers, which then say nothing. So do the status
// messages that come back in a swapped form or row ("Your profile is saved."), unless the focus
// has landed on the message itself, which is then read whole; and the flashed messages a page
// loads with ("Your offer is published." after a redirect), which no screen reader reads either
// (a region is read on changes, and these were there from the start).
const ANNOUNCED = "[data-announce], [role=status]";

function announce(elements, delay) {
  const region = document.getElementById("announcer");
  const message = elements.filter((element) => element !== region && element !== document.activeElement)
    .map((element) => element.textContent.replace(/\s+/g, " ").trim()).filter(Boolean).join(" ");
  if (region && message) {
    region.textContent = "";
    // A fresh text node a moment later, so the same count is read again after a new search.
    window.setTimeout(() => { region.textContent = message; }, delay);
  }
}

document.addEventListener("htmx:after:settle", (event) => {
  const roots = (event.detail.newContent || []).filter((node) => node.nodeType === Node.ELEMENT_NODE);
  announce(roots.flatMap((root) => [...(root.matches(ANNOUNCED) ? [root] : []), ...root.querySelectorAll(ANNOUNCED)]), 50);
});

// After the page's title, which a screen reader reads first on a new page.
document.addEventListener("DOMContentLoaded", () => {
  announce([...document.querySelectorAll("#flashes [role=status]")], 500);
});

// The <details> menus of the header: a menu that would start off the left edge of a narrow
// screen (it lines up with the right edge of its summary) opens rightwards instead; Escape
// closes the open menu and gives the focus back to its summary; focus leaving the menu closes it
// too (left open, it covered what the focus moved to under the header).
document.addEventListener("toggle", (event) => {
  const menu = event.target.matches?.("details.dropdown") && event.target.open && event.target.querySelector(":scope > ul");
  if (menu) {
    menu.dir = "rtl";
    if (menu.getBoundingClientRect().left < 0) {
      menu.dir = "ltr";
    }
  }
}, true);
document.addEventListener("focusout", (event) => {
  const open = event.target.closest?.("details.dropdown[open]");
  // No related target: a click on no control (or a browser that does not focus links on click).
  if (open && event.relatedTarget && !open.contains(event.relatedTarget)) {
    open.open = false;
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") {
    return;
  }
  const open = document.activeElement?.closest("details.dropdown[open]") || document.querySelector("details.dropdown[open]");
  if (open) {
    open.open = false;
    open.querySelector("summary").focus();
  }
});

// A search box with data-filter-options="ID" narrows the options of the <select> of that id to
// those whose text holds what is typed (case and accents aside); chosen options stay, and a
// group with nothing left hides. For the long lists of people to choose from (speakers).
const folded = (text) => text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
document.addEventListener("input", (event) => {
  const select = event.target.matches("[data-filter-options]")
    && document.getElementById(event.target.dataset.filterOptions);
  if (!select) {
    return;
  }
  const wanted = folded(event.target.value.trim());
  for (const option of select.options) {
    option.hidden = !option.selected && !folded(option.textContent).includes(wanted);
  }
  for (const group of select.querySelectorAll("optgroup")) {
    group.hidden = [...group.children].every((option) => option.hidden);
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.matches("[data-filter-options]")) {
    event.preventDefault();  // a filter, not the form's submit
  }
});

// A text area with a length limit counts its characters beneath it ("312 / 500"), so that a
// writer sees the limit coming and a paste the browser cut short at it. Screen readers read the
// count with the field (aria-describedby), not at every key.
const countCharacters = (area) => {
  const counter = document.getElementById(`${area.id}-count`);
  const format = new Intl.NumberFormat(document.documentElement.lang || undefined);
  counter.textContent = `${format.format(area.value.length)} / ${format.format(area.maxLength)}`;
  counter.classList.toggle("near", area.value.length >= area.maxLength * 0.9);
};
const addCounters = (root) => {
  for (const area of root.querySelectorAll("textarea[maxlength][id]")) {
    if (!document.getElementById(`${area.id}-count`)) {
      const counter = document.createElement("small");
      counter.id = `${area.id}-count`;
      counter.className = "char-count";
      area.after(counter);
      area.setAttribute("aria-describedby", `${area.getAttribute("aria-describedby") || ""} ${counter.id}`.trim());
      countCharacters(area);
    }
  }
};
document.addEventListener("DOMContentLoaded", () => addCounters(document));
document.addEventListener("htmx:after:settle", () => addCounters(document));
document.addEventListener("input", (event) => {
  if (event.target.matches("textarea[maxlength][id]") && document.getElementById(`${event.target.id}-count`)) {
    countCharacters(event.target);
  }
});
