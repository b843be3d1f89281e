/* The main menu on narrow screens: folded behind the "Menu" button of base.html.
 *
 * Progressive enhancement: without this script (or before it runs) the menu is simply
 * shown, wrapping as needed. The class on <html> is set at once, in <head>, so a phone
 * never shows the open menu and then folds it (the CSS folds it only with "js-menu").
 * No inline code anywhere: the Content-Security-Policy allows only files of this site.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js-menu");

  function setUp() {
    var button = document.querySelector(".site-header .menu-toggle");
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }
    button.hidden = false;

    function isOpen() {
      return button.getAttribute("aria-expanded") === "true";
    }
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }

    button.addEventListener("click", function () {
      setOpen(!isOpen());
    });
    // Escape closes an open menu and returns to its button, as a disclosure should.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen()) {
        setOpen(false);
        button.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
