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

  // The searches made here, newest first, kept in this browser only.
  var recentKey = "corpus.recent";
  var readRecent = function () {
    try {
      var v = JSON.parse(localStorage.getItem(recentKey) || "[]");
      return Array.isArray(v) ? v.filter(function (x) { return typeof x === "string"; }) : [];
    } catch (e) {
      return [];
    }
  };
  var writeRecent = function (list) {
    try {
      if (list.length) {
        localStorage.setItem(recentKey, JSON.stringify(list.slice(0, 10)));
      } else {
        localStorage.removeItem(recentKey);
      }
    } catch (e) {
      // Storage refused (private mode, full): the page works without it.
    }
  };
  var searched = (new URLSearchParams(location.search).get("q") || "").trim();
  if (searched && document.getElementById("results-h")) {
    writeRecent([searched].concat(readRecent().filter(function (x) { return x !== searched; })));
  }
  var han = /[\u3400-\u9fff]/;

  var input = document.getElementById("q");
  var form = input && input.form;
  var searchFor = function (q) {
    var p = new URLSearchParams();
    p.set("q", q);
    if (form.elements.ui) {
      p.set("ui", form.elements.ui.value);
    }
    return "/search?" + p.toString();
  };

  // The home page lists the recent searches, with a button to forget them.
  if (form && document.querySelector(".examples") && readRecent().length) {
    var sec = document.createElement("section");
    sec.className = "recent";
    sec.setAttribute("aria-labelledby", "recent-h");
    var h = document.createElement("h2");
    h.id = "recent-h";
    h.textContent = form.dataset.recent;
    var ul = document.createElement("ul");
    ul.className = "example-queries";
    readRecent().forEach(function (q) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = searchFor(q);
      a.textContent = q;
      a.lang = han.test(q) ? "zh-Hans" : "en";
      li.appendChild(a);
      ul.appendChild(li);
    });
    var forget = document.createElement("button");
    forget.type = "button";
    forget.className = "link-button";
    forget.textContent = form.dataset.recentClear;
    forget.addEventListener("click", function () {
      writeRecent([]);
      sec.remove();
      input.focus();
    });
    sec.appendChild(h);
    sec.appendChild(ul);
    sec.appendChild(forget);
    form.after(sec);
  }

  // Suggestions as one types: words and entities of the corpus that
  // complete the last word, or the recent searches in an empty box. The
  // box is an ARIA combobox; without this script it is a plain search box.
  if (input && form && window.fetch && window.AbortController) {
    var box = document.createElement("ul");
    box.id = "q-listbox";
    box.className = "suggest";
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", form.dataset.suggest);
    box.hidden = true;
    input.parentNode.appendChild(box);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", box.id);
    var items = [];
    var active = -1;
    var timer = 0;
    var pending = null;
    var close = function () {
      box.hidden = true;
      box.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    var mark = function (i) {
      active = i;
      Array.prototype.forEach.call(box.children, function (li, j) {
        li.setAttribute("aria-selected", j === i ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", "q-opt-" + i);
      box.children[i].scrollIntoView({ block: "nearest" });
    };
    var choose = function (i) {
      var s = items[i];
      close();
      if (s.recent) {
        input.value = s.text;
        location.href = searchFor(s.text);
        return;
      }
      var v = input.value;
      var cut = Math.max(v.lastIndexOf(" "), v.lastIndexOf("\u3000"));
      input.value = v.slice(0, cut + 1) + s.text + " ";
      input.focus();
    };
    var show = function (list) {
      close();
      items = list;
      list.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = "q-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        if (s.recent) {
          li.className = "recent";
        }
        var main = document.createElement("span");
        main.textContent = s.text;
        main.lang = s.lang === "zh" ? "zh-Hans" : "en";
        li.appendChild(main);
        if (s.other) {
          var alt = document.createElement("span");
          alt.className = "alt";
          alt.textContent = s.other;
          alt.lang = s.lang === "zh" ? "en" : "zh-Hans";
          li.appendChild(document.createTextNode(" "));
          li.appendChild(alt);
        }
        li.addEventListener("mousedown", function (e) {
          e.preventDefault(); // keep the focus in the box
          choose(i);
        });
        box.appendChild(li);
      });
      if (list.length) {
        box.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    };
    var showRecent = function () {
      show(readRecent().map(function (q) {
        return { text: q, lang: han.test(q) ? "zh" : "en", recent: true };
      }));
    };
    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (pending) {
        pending.abort();
        pending = null;
      }
      var v = input.value;
      if (!v.trim()) {
        showRecent();
        return;
      }
      if (/\s$/.test(v)) {
        close();
        return;
      }
      timer = setTimeout(function () {
        pending = new AbortController();
        fetch("/api/suggest?" + new URLSearchParams({ q: v, n: "8" }).toString(), {
          signal: pending.signal,
          headers: { Accept: "application/json" }
        }).then(function (r) {
          return r.ok ? r.json() : { suggestions: [] };
        }).then(function (d) {
          if (input.value === v && document.activeElement === input) {
            show(d.suggestions);
          }
        }).catch(function () {
          // Aborted by the next letter, or offline: no suggestions.
        });
      }, 50);
    });
    input.addEventListener("focus", function () {
      if (!input.value.trim()) {
        showRecent();
      }
    });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (e) {
      if (box.hidden) {
        return;
      }
      if (e.key === "ArrowDown") {
        mark((active + 1) % items.length);
      } else if (e.key === "ArrowUp") {
        mark(active <= 0 ? items.length - 1 : active - 1);
      } else if (e.key === "Enter" && active >= 0) {
        choose(active);
      } else if (e.key === "Escape") {
        close();
      } else {
        return;
      }
      e.preventDefault();
    });
  }

  // On a passage view reached without the #anchor, scroll to the passage.
  if (!location.hash) {
    var current = document.querySelector(".para.current");
    if (current) {
      current.scrollIntoView({ block: "center" });
    }
  }
})();
