// Every page: after a refused form, its summary of what to fix takes the focus (and so comes
// into view, however far down the form is), and a screen reader reads it first; each of its
// links leads to the field. One pattern for every form (web/form_errors.html).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});

// The header's menu on a phone: the navigation and the switches fold behind one button (a
// disclosure: aria-expanded says whether it is open; Escape closes it and returns the focus).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("site-menu");
  if (!toggle || !menu) return;
  toggle.hidden = false;
  toggle.closest(".site-header").classList.add("foldable");
  const show = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  };
  toggle.addEventListener("click", () => show(toggle.getAttribute("aria-expanded") !== "true"));
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.classList.contains("open")) {
      show(false);
      toggle.focus();
    }
  });
});

// A table wider than the screen scrolls in its own box (.table-scroll): while it does, the
// box takes the keyboard's focus so that the arrow keys scroll it (WCAG 2.1.1), and it is a
// region named by its table's heading or caption.
const markScrollingTables = () => {
  for (const box of document.querySelectorAll(".table-scroll")) {
    const scrolls = box.scrollWidth > box.clientWidth;
    const table = box.querySelector("table");
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      const labelledBy = table && table.getAttribute("aria-labelledby");
      const caption = table && table.querySelector("caption");
      let heading = box.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
      const name = caption || (labelledBy && document.getElementById(labelledBy)) || heading;
      box.setAttribute("aria-label", name ? name.textContent.trim() : document.title);
    } else if (!scrolls && box.hasAttribute("tabindex")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
};
document.addEventListener("DOMContentLoaded", markScrollingTables);
window.addEventListener("resize", markScrollingTables);
