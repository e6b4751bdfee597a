// Corpus: small enhancements; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Selects marked data-autosubmit apply at once instead of waiting for
  // the search button.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () {
      if (el.form) {
        el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
      }
    });
  });

  // On a passage view reached without the #anchor, scroll to the passage.
  if (!location.hash) {
    var current = document.querySelector(".para.current");
    if (current) {
      current.scrollIntoView({ block: "center" });
    }
  }
})();
