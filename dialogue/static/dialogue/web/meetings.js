// The log-a-meeting form: "Add …" buttons copy a formset's empty row from its <template>
// (Django's __prefix__ becomes the next index) and put the keyboard focus in the new row,
// so someone typing goes on where the row appeared.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-add-row]");
  if (!button) return;
  const prefix = button.dataset.addRow;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const template = document.getElementById(`${prefix}-template`);
  const rows = document.getElementById(`${prefix}-rows`);
  const index = Number(total.value);
  rows.insertAdjacentHTML(
    "beforeend",
    template.innerHTML
      .replaceAll("__prefix__", String(index))
      .replaceAll("__number__", String(index + 1)),
  );
  total.value = String(index + 1);
  const first = rows.lastElementChild.querySelector("input, select, textarea");
  if (first) first.focus();
});
