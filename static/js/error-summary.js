// A form came back with errors: focus its error summary, so that a screen reader reads it
// first and the next Tab reaches the links to the fields at fault (WCAG 3.3.1).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary && !document.activeElement?.closest("form")) {
    summary.focus();
  }
});
