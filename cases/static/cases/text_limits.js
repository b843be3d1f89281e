/* A live counter under text that nears its limit: "4,100 of 5,000 characters".
 *
 * The form marks each limited field with data-limit and the counter's wording
 * (data-limit-text, data-limit-over-text, translated on the server). The browser's
 * maxlength is not used: it drops pasted text beyond the limit without a word. Here all
 * the text stays, the counter appears once the text passes 80% of the limit and says by
 * how much it is over, and the server refuses longer text with the limit and the length.
 * Screen readers hear the count politely, once typing pauses.
 * No inline code anywhere: the Content-Security-Policy allows only files of this site.
 */
(function () {
  "use strict";

  var SHOW_FROM = 0.8;
  var ANNOUNCE_AFTER_MS = 700;
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function words(template, count, limit) {
    return template
      .replace("{count}", numbers.format(count))
      .replace("{limit}", numbers.format(limit))
      .replace("{over}", numbers.format(count - limit));
  }

  function setUp(field) {
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    if (!(limit > 0)) {
      return;
    }
    var counter = document.createElement("p");
    counter.className = "text-counter";
    counter.id = (field.id || field.name) + "_counter";
    counter.setAttribute("aria-hidden", "true");
    // The visible count follows every keystroke; the announced one waits for a pause.
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", spoken);
    field.insertAdjacentElement("afterend", counter);
    var timer = null;

    function update(announce) {
      var count = field.value.length;
      var over = count > limit;
      var text = "";
      if (count > limit * SHOW_FROM) {
        text = words(
          field.getAttribute(over ? "data-limit-over-text" : "data-limit-text"), count, limit
        );
      }
      counter.textContent = text;
      counter.hidden = text === "";
      counter.classList.toggle("over-limit", over);
      window.clearTimeout(timer);
      if (announce) {
        timer = window.setTimeout(function () {
          spoken.textContent = text;
        }, ANNOUNCE_AFTER_MS);
      }
    }

    field.addEventListener("input", function () {
      update(true);
    });
    update(false);
  }

  function setUpAll() {
    document.querySelectorAll("textarea[data-limit], input[data-limit]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
