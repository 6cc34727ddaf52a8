// rekam's own script: the page behaviour that would otherwise be inline (the CSP allows no inline script).
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-print]");
  if (link) {
    event.preventDefault();
    window.print();
  }
});
