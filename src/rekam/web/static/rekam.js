// rekam's own script: the page behaviour that would otherwise be inline (the CSP allows no inline script).
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-print]");
  if (link) {
    event.preventDefault();
    window.print();
  }
});

// A box that scrolls sideways (a wide table on a phone) takes the keyboard focus, so that it can
// be scrolled without a mouse (WCAG 2.1.1; axe's scrollable-region-focusable).
function markScrollers() {
  document.querySelectorAll(".scroll, main table").forEach(function (el) {
    if (el.scrollWidth > el.clientWidth + 1) {
      el.tabIndex = 0;
    } else if (el.getAttribute("tabindex") === "0") {
      el.removeAttribute("tabindex");
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollers);
window.addEventListener("resize", markScrollers);
document.addEventListener("htmx:afterSettle", markScrollers);

// The counter: after a search, the keyboard goes to the first service offered (Enter logs it,
// Tab reaches the others and the surat keterangan); after a service, to its outcome's first
// button (a confirmation or the surat keterangan offered) or back to the NIK field. On
// afterSettle, when htmx has taken over the new forms: focused earlier, an Enter could submit
// a form htmx has not processed yet as a plain page request.
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail.target;
  if (target && target.id === "hasil") {
    var first = target.querySelector(".resident .services button");
    if (first) { first.focus(); }
  } else if (target && target.classList && target.classList.contains("resident")) {
    var next = document.querySelector(".resident .outcome button");
    if (next) { next.focus(); } else {
      var nik = document.getElementById("nik");
      if (nik) { nik.focus(); nik.select(); }
    }
  }
});
