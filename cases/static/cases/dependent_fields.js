/* Fields that only one choice of another field uses, such as the kind of support service
 * of a referral: marked by the form with data-shown-with="kind=referred".
 *
 * Progressive enhancement: without this script every field shows, its help says when it
 * applies, and the server refuses a value given where it does not belong. With it, a
 * field shows only while its choice is made; otherwise it is hidden and disabled, so a
 * value left in it is not sent. A field showing an error stays in view.
 * No inline code anywhere: the Content-Security-Policy allows only files of this site.
 */
(function () {
  "use strict";

  function setUp() {
    document.querySelectorAll("[data-shown-with]").forEach(function (control) {
      var rule = control.getAttribute("data-shown-with").split("=");
      var chooser = control.form && control.form.elements.namedItem(rule[0]);
      var wrapper = control.closest(".field") || control;
      if (!chooser) {
        return;
      }
      function update() {
        var shown = chooser.value === rule[1] || wrapper.classList.contains("has-error");
        wrapper.hidden = !shown;
        control.disabled = !shown;
      }
      chooser.addEventListener("change", update);
      update();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
