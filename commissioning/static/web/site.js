// Every page: after a refused form, its summary of what to fix takes the focus (and so comes
// into view, however far down the form is), and a screen reader reads it first; each of its
// links leads to the field. One pattern for every form (web/form_errors.html).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
