// Quantity steppers: the − and + buttons around a number field
// (partials/add_to_cart.html). They are hidden until this runs, so without
// script the number field alone is the control. Each button names its
// field by aria-controls and keeps the value within the field's min and max.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button.step[aria-controls]").forEach(function (b) {
    var f = document.getElementById(b.getAttribute("aria-controls"));
    if (!f) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      var min = parseInt(f.min || "1", 10), max = parseInt(f.max || "1000", 10);
      var v = (parseInt(f.value, 10) || min) + parseInt(b.dataset.step, 10);
      f.value = String(Math.min(Math.max(v, min), Math.max(max, min)));
      f.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });
});
