/* Accessibility helpers for every page (loaded after the theme's script).

   - A "大字" button in the header enlarges the text; the choice is kept in localStorage (the page
     head applies it before the first paint, see overrides/main.html).
   - Tables wider than the screen scroll sideways inside a wrapper the theme adds; such a wrapper
     is made reachable by Tab and named after its section, so keyboard users can scroll it
     (axe: scrollable-region-focusable). Wrappers that fit get no extra Tab stop. */
(function () {
  "use strict";
  var KEY = "zwpj-large-text";
  var LARGE = "zwpj-large";
  var root = document.documentElement;

  function remember(on) {
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: not kept */ }
  }

  function addTextSizeButton() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".zwpj-textsize")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "zwpj-textsize";
    button.textContent = "大字";
    button.title = "放大正文字号（再按一次恢复）";
    button.setAttribute("aria-pressed", String(root.classList.contains(LARGE)));
    button.addEventListener("click", function () {
      var on = !root.classList.contains(LARGE);
      root.classList.toggle(LARGE, on);
      button.setAttribute("aria-pressed", String(on));
      remember(on);
      markScrollingTables();
    });
    var before = header.querySelector("form.md-header__option") || header.querySelector("label[for='__search']");
    header.insertBefore(button, before);
  }

  function sectionName(element) {
    for (var node = element.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName)) return node.textContent.replace(/¶/g, "").trim();
    }
    var details = element.closest("details");
    var summary = details && details.querySelector("summary");
    return summary ? summary.textContent.trim() : document.title;
  }

  function markScrollingTables() {
    var seen = {};
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        // Regions need distinct names: a second table under one heading is numbered.
        var name = sectionName(wrap);
        seen[name] = (seen[name] || 0) + 1;
        var nth = seen[name] > 1 ? "之" + seen[name] : "";
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "表格：" + name + nth + "（可左右滚动）");
      } else if (wrap.hasAttribute("tabindex")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  function start() {
    addTextSizeButton();
    // The theme wraps tables while it mounts the page; measure once that is done.
    window.requestAnimationFrame(markScrollingTables);
  }

  var timer = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(markScrollingTables, 150);
  });
  // Opening a collapsed section can reveal tables wider than the screen.
  document.addEventListener("toggle", function () { window.requestAnimationFrame(markScrollingTables); }, true);

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
