/* Site search that loads only what a query needs, by <script> tags: works over HTTP and from a
   folder opened as file:// (where browsers refuse fetch). The index is written by
   generator/build/search.py; see there for its files. Results are built with DOM calls and
   textContent only: nothing from the index is ever parsed as HTML. */
(function () {
  "use strict";
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var WORD = /[0-9a-z]+/g;
  var PAGE_SIZE = 10;
  var config = JSON.parse(document.getElementById("__config").textContent);
  var root = new URL("search/", new URL(config.base.replace(/\/?$/, "/"), location.href));
  var site = new URL(config.base.replace(/\/?$/, "/"), location.href);
  var parts = {};

  window.zwpjSearch = {
    load: function (kind, n, data) {
      var part = parts[kind + n];
      if (part) part.resolve(data);
    }
  };

  function load(kind, n) {
    var key = kind + n;
    if (!parts[key]) {
      var part = (parts[key] = {});
      part.promise = new Promise(function (resolve, reject) {
        part.resolve = resolve;
        var script = document.createElement("script");
        script.src = new URL(kind === "m" ? "manifest.js" : kind + "/" + n + ".js", root).href;
        script.onerror = function () {
          delete parts[key];
          reject(new Error(script.src));
        };
        document.head.appendChild(script);
      });
    }
    return parts[key].promise;
  }

  var table = [];
  for (var i = 0; i < 256; i++) {
    var c = i;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  function crc32(text) {
    var bytes = new TextEncoder().encode(text), crc = 0xffffffff;
    for (var j = 0; j < bytes.length; j++) crc = table[(crc ^ bytes[j]) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  }

  /* NFKC and lower case, character by character, keeping every offset (a character NFKC would
     widen, such as "…", stays as it is): excerpts are cut and marked at the offsets found. */
  function normalize(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var n = text[i].normalize("NFKC").toLowerCase();
      out += n.length === 1 ? n : text[i];
    }
    return out;
  }

  /* The query's parts: Chinese runs (matched as substrings) and other words. */
  function parse(text) {
    var q = normalize(text);
    var runs = q.match(CJK) || [];
    var words = q.replace(CJK, " ").match(WORD) || [];
    var terms = [];
    runs.forEach(function (run) {
      if (run.length === 1) terms.push(run);
      for (var p = 0; p + 1 < run.length; p++) terms.push(run.slice(p, p + 2));
    });
    terms = terms.concat(words).filter(function (t, n, all) { return all.indexOf(t) === n; });
    return { runs: runs, words: words, terms: terms };
  }

  function decode(text) {
    var found = new Map(), doc = 0;
    text.split(",").forEach(function (item) {
      var at = item.indexOf(":");
      doc += parseInt(at < 0 ? item : item.slice(0, at), 36);
      found.set(doc, at < 0 ? 1 : parseInt(item.slice(at + 1), 36));
    });
    return found;
  }

  function pageStarts(manifest) {
    if (!manifest.starts) {
      var at = 0;
      manifest.starts = manifest.pages.split(",").map(function (d) { return (at += parseInt(d, 36)); });
    }
    return manifest.starts;
  }

  function pageOf(manifest, doc) {
    var starts = pageStarts(manifest), lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= doc) lo = mid; else hi = mid - 1;
    }
    return starts[lo];
  }

  /* Documents holding every term loaded, scored; common terms are left to the text check. */
  function candidates(query) {
    return load("m", 0).then(function (manifest) {
      return Promise.all(query.terms.map(function (t) {
        return load("t", crc32(t) % manifest.terms).then(function (shard) { return shard[t]; });
      })).then(function (entries) {
        if (entries.some(function (e) { return e === undefined; })) return { manifest: manifest, docs: [] };
        var lists = entries.filter(function (e) { return typeof e === "string"; });
        var fetched = Promise.resolve(lists);
        if (!lists.length) {
          var rarest = entries.reduce(function (a, b) { return b[0] < a[0] ? b : a; });
          fetched = load("b", rarest[1]).then(function (text) { return [text]; });
        }
        return fetched.then(function (texts) {
          var maps = texts.map(decode).sort(function (a, b) { return a.size - b.size; });
          var docs = [];
          maps[0].forEach(function (weight, doc) {
            var score = weight;
            for (var m = 1; m < maps.length; m++) {
              var w = maps[m].get(doc);
              if (w === undefined) return;
              score += w;
            }
            docs.push({ doc: doc, score: score });
          });
          return { manifest: manifest, docs: docs };
        });
      });
    });
  }

  /* Pages best first, each with its documents best first. */
  function pages(found) {
    var byPage = new Map();
    found.docs.forEach(function (d) {
      var page = pageOf(found.manifest, d.doc);
      if (!byPage.has(page)) byPage.set(page, { page: page, docs: [], score: 0 });
      byPage.get(page).docs.push(d);
    });
    var list = Array.from(byPage.values());
    list.forEach(function (p) {
      p.docs.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      p.score = p.docs[0].score + 0.1 * Math.min(p.docs.length - 1, 20);
    });
    return list.sort(function (a, b) { return b.score - a.score || a.page - b.page; });
  }

  function doc(manifest, n) {
    return load("d", Math.floor(n / manifest.per)).then(function (part) {
      var d = part[n % manifest.per];
      return { location: d[0], title: d[1], text: d[2] };
    });
  }

  function holds(query, d) {
    var text = normalize(d.title + " " + d.text);
    return query.runs.every(function (r) { return text.indexOf(r) >= 0; }) &&
      query.words.every(function (w) { return text.indexOf(w) >= 0; });
  }

  /* A page's hit: its best document whose text holds the query (the next best only when it does
     not: a common term was left to this check), with the page's title. */
  function resolve(manifest, query, page) {
    var tries = page.docs.slice(0, 3);
    function attempt(t) {
      if (t >= tries.length) return Promise.resolve(null);
      return doc(manifest, tries[t].doc).then(function (hit) {
        if (!holds(query, hit)) return attempt(t + 1);
        var head = tries[t].doc === page.page ? Promise.resolve(hit) : doc(manifest, page.page);
        return head.then(function (title) {
          var whole = query.runs.join("");
          var bonus = whole && normalize(title.title).indexOf(whole) >= 0 ? 50 : 0;
          return { page: title, hit: hit, score: page.score + bonus };
        });
      });
    }
    return attempt(0);
  }

  function excerpt(query, text) {
    var lower = normalize(text), first = -1;
    query.runs.concat(query.words).forEach(function (r) {
      var at = lower.indexOf(r);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = Math.max(0, first - 30);
    return (start > 0 ? "…" : "") + text.slice(start, start + 100) + (start + 100 < text.length ? "…" : "");
  }

  function marked(element, query, text) {
    var lower = normalize(text), needles = query.runs.concat(query.words).filter(Boolean), at = 0;
    while (at < text.length) {
      var next = -1, size = 0;
      needles.forEach(function (n) {
        var i = lower.indexOf(n, at);
        if (i >= 0 && (next < 0 || i < next)) { next = i; size = n.length; }
      });
      if (next < 0) break;
      element.appendChild(document.createTextNode(text.slice(at, next)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(next, next + size);
      element.appendChild(mark);
      at = next + size;
    }
    element.appendChild(document.createTextNode(text.slice(at)));
  }

  function item(query, result) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = new URL(result.hit.location, site).href;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var h = document.createElement("h1");
    marked(h, query, result.page.title);
    article.appendChild(h);
    if (result.hit !== result.page && result.hit.location !== result.page.location) {
      var h2 = document.createElement("h2");
      marked(h2, query, result.hit.title);
      article.appendChild(h2);
    }
    var p = document.createElement("p");
    marked(p, query, excerpt(query, result.hit.text));
    article.appendChild(p);
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  function ui(form) {
    var input = form.querySelector(".md-search__input");
    var toggle = document.getElementById("__search");
    var output = document.querySelector(".md-search-result");
    var meta = output.querySelector(".md-search-result__meta");
    var list = output.querySelector(".md-search-result__list");
    var more = output.querySelector(".md-search-result__more");
    var current = 0, timer = null, state = null;

    function say(text) { meta.textContent = text; }

    function show(run, query, ranked, from) {
      var batch = ranked.slice(from, from + PAGE_SIZE);
      return load("m", 0).then(function (manifest) {
        return Promise.all(batch.map(function (p) { return resolve(manifest, query, p); }));
      }).then(function (results) {
        if (run !== current) return;
        results = results.filter(Boolean).sort(function (a, b) { return b.score - a.score; });
        results.forEach(function (r) { list.appendChild(item(query, r)); });
        list.setAttribute("data-query", input.value);
        state.shown += results.length;
        state.next = from + PAGE_SIZE;
        more.hidden = state.next >= ranked.length;
        var rest = ranked.length > state.next ? "，还有更多" : "";
        say(state.shown ? "找到 " + state.shown + " 个页面" + rest : "没有找到相符的页面");
      });
    }

    function search() {
      var run = ++current, query = parse(input.value);
      list.textContent = "";
      list.removeAttribute("data-query");
      more.hidden = true;
      if (!query.terms.length) { say("输入要查找的文字"); return; }
      say("正在查找……");
      candidates(query).then(function (found) {
        if (run !== current) return;
        var ranked = pages(found);
        state = { query: query, ranked: ranked, shown: 0, next: 0 };
        if (!ranked.length) { say("没有找到相符的页面"); return; }
        return show(run, query, ranked, 0);
      }).catch(function () {
        if (run === current) say("无法读取搜索索引（search/ 文件夹不完整）");
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("focus", function () { if (toggle) toggle.checked = true; });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { if (toggle) toggle.checked = false; input.blur(); }
      if (e.key === "Enter") {
        e.preventDefault();
        var first = list.querySelector("a");
        if (first) location.href = first.href;
      }
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () { list.textContent = ""; say("输入要查找的文字"); });
    more.addEventListener("click", function () {
      if (state) show(current, state.query, state.ranked, state.next);
    });
  }

  var form = document.querySelector("form.md-search__form[data-zwpj-search]");
  if (form) ui(form);
})();
