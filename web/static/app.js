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

  // The filter panel: open on a desk, where it is a column; closed on a
  // phone, where it comes before the results. F or the skip link opens it
  // and moves to it.
  var panel = document.getElementById("filters");
  if (panel) {
    var narrow = window.matchMedia("(max-width: 48rem)");
    var fit = function () {
      panel.open = !narrow.matches || location.hash === "#filters";
    };
    fit();
    narrow.addEventListener("change", fit);
    var toFilters = function () {
      panel.open = true;
      var h = document.getElementById("facets-h");
      h.focus();
      h.scrollIntoView({ block: "start" });
    };
    document.querySelectorAll('a[href="#filters"]').forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        toFilters();
      });
    });
    document.addEventListener("keydown", function (e) {
      if ((e.key !== "f" && e.key !== "F") || e.ctrlKey || e.metaKey || e.altKey) {
        return;
      }
      if (e.target.closest && e.target.closest("input, textarea, select, [contenteditable]")) {
        return;
      }
      e.preventDefault();
      toFilters();
    });
  }

  // A long facet gets a box that filters its values, the hidden ones too.
  document.querySelectorAll("[data-facet-filter]").forEach(function (input) {
    var box = input.parentNode;
    var facet = box.parentNode;
    box.hidden = false;
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      var more = facet.querySelector("details.facet-more");
      if (needle && more) {
        more.open = true;
      }
      facet.querySelectorAll("li").forEach(function (li) {
        li.hidden = needle !== "" && li.textContent.toLowerCase().indexOf(needle) < 0;
      });
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
