// Quantity steppers: a − and a + button around each add-to-cart number
// field (partials/add_to_cart.html), cloned from the page's
// <template id="stepper">, which holds them once in the visitor's language
// rather than in every variant's form. Without script there are none and
// the number field alone is the control. Each button names its field by
// aria-controls and keeps the value within the field's min and max.
document.addEventListener("DOMContentLoaded", function () {
  var t = document.getElementById("stepper");
  if (!t) return;
  document.querySelectorAll(".stepper > input[type=number][id]").forEach(function (f) {
    var bs = t.content.cloneNode(true).querySelectorAll("button.step");
    f.before(bs[0]);
    f.after(bs[1]);
    bs.forEach(function (b) {
      b.setAttribute("aria-controls", f.id);
      b.addEventListener("click", function () {
        var min = parseInt(f.min || "1", 10), max = parseInt(f.max || "1000", 10);
        var v = (parseInt(f.value, 10) || min) + parseInt(b.dataset.step, 10);
        f.value = String(Math.min(Math.max(v, min), Math.max(max, min)));
        f.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  });
});
