// The profile page's "Copy" buttons: copy the address or token of the field they name to
// the clipboard and say so where a screen reader hears it. Without JavaScript (or the
// clipboard) the buttons stay hidden and the field's text can be selected and copied.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
  }
});

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(`${button.dataset.copy}-status`);
  try {
    await navigator.clipboard.writeText(field.value);
    if (status) status.textContent = button.dataset.copied;
  } catch {
    field.select();
  }
});
