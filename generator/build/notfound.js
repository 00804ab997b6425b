/* Inlined into 404.html by notfound.py: finds the site's root by asking each folder above the
   address for a file only this site has, then points the page's links, the search and the
   scripts there. */
(function () {
  "use strict";
  var dirs = location.pathname.split("/");
  dirs.pop();
  function use(root) {
    document.querySelectorAll("a[href^='/'], link[href^='/']").forEach(function (a) {
      a.setAttribute("href", root + a.getAttribute("href").slice(1));
    });
    var config = document.getElementById("__config");
    if (config) {
      var data = JSON.parse(config.textContent);
      data.base = root.replace(/\/$/, "") || "/";
      config.textContent = JSON.stringify(data);
    }
    document.querySelectorAll("script[data-zwpj-src]").forEach(function (s) {
      var script = document.createElement("script");
      script.src = root + s.getAttribute("data-zwpj-src");
      script.async = false;
      document.body.appendChild(script);
    });
  }
  (function next(n) {
    if (n < 1) return;
    var root = dirs.slice(0, n).join("/") + "/";
    fetch(root + "search/manifest.js", { method: "HEAD" }).then(
      function (r) { if (r.ok) use(root); else next(n - 1); },
      function () { next(n - 1); }
    );
  })(dirs.length);
})();
