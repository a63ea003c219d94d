// Article page: clicking a fact in the side list marks every text segment that belongs to it.
(function () {
  "use strict";
  function focus(id) {
    document.querySelectorAll("mark.hl.focus").forEach(function (m) { m.classList.remove("focus"); });
    var first = null;
    document.querySelectorAll("mark.hl").forEach(function (m) {
      var ids = (m.getAttribute("data-facts") || "").split(" ");
      if (ids.indexOf(id) >= 0) { m.classList.add("focus"); if (!first) { first = m; } }
    });
    if (first) { first.scrollIntoView({block: "center"}); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("li.fact").forEach(function (li) {
      li.addEventListener("click", function () { focus(li.getAttribute("data-fact")); });
    });
    if (location.hash.length > 1) { focus(decodeURIComponent(location.hash.slice(1))); }
  });
})();
