/* The attendance sheet's print button: shown only when JavaScript can print (Ctrl+P works without it). */
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
