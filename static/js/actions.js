/* Buttons and links that need a line of script, kept out of the page so the CSP needs no inline script.
   data-print: print the page. data-back: go back one page (the link's own href is the fallback). */
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-print], [data-back]");
  if (!target) { return; }
  event.preventDefault();
  if (target.hasAttribute("data-print")) { window.print(); } else { window.history.back(); }
});
