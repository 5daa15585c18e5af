// The site's search: the header dialog (overrides/partials/qa-search.html) over the index that
// qbank/search.py writes into search/. One result per question, with its topic, its level and a
// run of its real words around the match, the match marked.
//
// The word rules (words, stem, compounds) mirror qbank/search.py; tests/test_search.py runs both
// on the same text. The core (everything above "The dialog") has no DOM and runs under Node too.
(function (root) {
  "use strict";

  var FORMAT = 1;
  var WORD = /[A-Za-z0-9]+(?:\.[0-9]+)*/g;
  var COMPOUND = /(?:^|[^A-Za-z0-9])([A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)+)/g;
  var PREFIX_WEIGHT = 0.5;
  var PREFIX_TERMS = 40;
  var PAGE = 10;

  function stem(word) {
    if (word.length <= 3 || word[word.length - 1] !== "s" || /(ss|is)$/.test(word) || (/us$/.test(word) && word.length >= 5) ||
        !/^[a-z]+$/.test(word)) {
      return word;
    }
    if (/ies$/.test(word) && word.length > 4) return word.slice(0, -3) + "y";
    if (/(sses|xes|ches|shes|zes)$/.test(word)) return word.slice(0, -2);
    return word.slice(0, -1);
  }

  // The text's words with where they are: {term, start, end}.
  function words(text) {
    var result = [];
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      result.push({ term: stem(match[0].toLowerCase()), start: match.index, end: match.index + match[0].length });
    }
    return result;
  }

  function joined(chain) {
    return stem(chain.toLowerCase().replace(/[-_.]/g, ""));
  }

  // Chains of words joined by -, _ or ., each as {term (joined), start, end}.
  function compounds(text) {
    var result = [];
    var match;
    COMPOUND.lastIndex = 0;
    while ((match = COMPOUND.exec(text)) !== null) {
      var start = match.index + match[0].length - match[1].length;
      result.push({ term: joined(match[1]), start: start, end: start + match[1].length });
    }
    return result;
  }

  // ---- the index ------------------------------------------------------------------------------

  function Index(base, fetchJson) {
    this.base = base;
    this.fetchJson = fetchJson;
    this.manifest = null;
    this.chunks = Object.create(null);
    this.docs = Object.create(null);
  }

  Index.prototype.load = function () {
    var self = this;
    if (!this.ready) {
      this.ready = this.fetchJson(this.base + "manifest.json").then(function (manifest) {
        if (!manifest || manifest.format !== FORMAT) throw new Error("search index of another version");
        self.manifest = manifest;
        self.synonymOf = Object.create(null);
        manifest.synonyms.forEach(function (group) {
          group.forEach(function (term) { self.synonymOf[term] = group; });
        });
        return self;
      });
    }
    return this.ready;
  };

  // The chunk numbers whose terms can start with `prefix` (or equal it).
  Index.prototype.chunksFor = function (prefix) {
    var firsts = this.manifest.chunks;
    var lo = 0;
    var hi = firsts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (firsts[mid] <= prefix) lo = mid; else hi = mid - 1;
    }
    var numbers = [lo];
    for (var n = lo + 1; n < firsts.length && firsts[n].lastIndexOf(prefix, 0) === 0; n++) numbers.push(n);
    return numbers;
  };

  Index.prototype.chunk = function (number) {
    if (!this.chunks[number]) this.chunks[number] = this.fetchJson(this.base + "t" + number + ".json");
    return this.chunks[number];
  };

  // term -> postings for every term starting with `prefix`, from the chunks that hold them.
  Index.prototype.termsStartingWith = function (prefix) {
    var self = this;
    return Promise.all(this.chunksFor(prefix).map(function (n) { return self.chunk(n); })).then(function (chunks) {
      var found = Object.create(null);
      chunks.forEach(function (chunk) {
        Object.keys(chunk).forEach(function (term) {
          if (term.lastIndexOf(prefix, 0) === 0) found[term] = chunk[term];
        });
      });
      return found;
    });
  };

  Index.prototype.postings = function (term) {
    return this.termsStartingWith(term).then(function (found) { return found[term] || null; });
  };

  Index.prototype.doc = function (number) {
    if (!this.docs[number]) this.docs[number] = this.fetchJson(this.base + "q/" + number + ".json");
    return this.docs[number];
  };

  // Postings [gap, score, gap, score, ...] as question number -> score.
  function decode(flat) {
    var scores = Object.create(null);
    var number = 0;
    for (var i = 0; i < flat.length; i += 2) {
      number += flat[i];
      scores[number] = flat[i + 1];
    }
    return scores;
  }

  // ---- queries --------------------------------------------------------------------------------

  // A query as units a question must all match. A unit is a term, or a phrase (quoted words);
  // words joined by -, _ or . are one term (all-reduce -> allreduce).
  function parse(query) {
    var units = [];
    var rest = query.replace(/"([^"]*)"?/g, function (_all, phrase) {
      var terms = words(phrase).map(function (w) { return w.term; });
      if (terms.length > 1) units.push({ phrase: terms, term: null, spaced: false });
      else if (terms.length === 1) units.push({ term: terms[0], spaced: false });
      return " ";
    });
    rest.split(/\s+/).forEach(function (piece) {
      if (!piece) return;
      var chains = compounds(piece);
      if (chains.length === 1 && chains[0].start === piece.search(/[A-Za-z0-9]/)) {
        units.push({ term: chains[0].term, parts: words(piece).map(function (w) { return w.term; }), spaced: false });
        return;
      }
      words(piece).forEach(function (w) { units.push({ term: w.term, spaced: true }); });
    });
    var last = units[units.length - 1];
    if (last && last.term && !/[\s"]$/.test(query)) {
      last.prefix = query.trim().split(/\s+/).pop().toLowerCase().replace(/[^a-z0-9]/g, "");
    }
    return units;
  }

  // Words typed apart that the bank writes joined (all reduce, kv cache) become that one term.
  function joinSpaced(index, units) {
    var candidates = [];
    for (var i = 0; i + 1 < units.length; i++) {
      if (units[i].spaced && units[i + 1].spaced) candidates.push(i);
    }
    return Promise.all(candidates.map(function (i) {
      return index.postings(stem(units[i].term + units[i + 1].term));
    })).then(function (found) {
      var joinedAt = Object.create(null);
      candidates.forEach(function (i, n) { if (found[n]) joinedAt[i] = true; });
      var result = [];
      for (var i = 0; i < units.length; i++) {
        if (joinedAt[i] && !(result.length && result[result.length - 1].joinedFrom === i - 1)) {
          result.push({ term: stem(units[i].term + units[i + 1].term), parts: [units[i].term, units[i + 1].term],
                        joinedFrom: i, spaced: false });
          i++;
        } else {
          result.push(units[i]);
        }
      }
      return result;
    });
  }

  // question number -> score for one unit; with `exact` for the questions it matched exactly.
  function unitScores(index, unit) {
    var terms = unit.phrase || [unit.term];
    return Promise.all(terms.map(function (t) { return index.postings(t); })).then(function (lists) {
      if (lists.some(function (l) { return !l; })) {
        // A joined term the bank never writes (kvcache): its parts, all of them.
        if (!unit.phrase && unit.parts && unit.parts.length > 1) {
          unit.loose = true;
          return unitScores(index, { phrase: unit.parts, term: null, loose: true });
        }
        return null;
      }
      var maps = lists.map(decode);
      var scores = Object.create(null);
      Object.keys(maps[0]).forEach(function (number) {
        var total = 0;
        for (var k = 0; k < maps.length; k++) {
          if (!(number in maps[k])) return;
          total += maps[k][number];
        }
        scores[number] = total;
      });
      return { scores: scores, exact: scores, phrase: unit.loose ? null : unit.phrase || null };
    }).then(function (result) {
      if (!unit.prefix || unit.prefix.length < 2) return result;
      return index.termsStartingWith(unit.prefix).then(function (found) {
        var terms = Object.keys(found).filter(function (t) { return t !== unit.term; });
        terms.sort(function (a, b) { return found[b].length - found[a].length; });
        var merged = Object.create(null);
        var exact = result ? result.scores : Object.create(null);
        Object.keys(exact).forEach(function (n) { merged[n] = exact[n]; });
        terms.slice(0, PREFIX_TERMS).forEach(function (t) {
          var scores = decode(found[t]);
          Object.keys(scores).forEach(function (n) {
            var s = scores[n] * PREFIX_WEIGHT;
            if (!(n in merged) || merged[n] < s) merged[n] = s;
          });
        });
        return { scores: merged, exact: exact, phrase: null, prefixTerms: terms.slice(0, PREFIX_TERMS) };
      });
    });
  }

  // Every question matching the query, best first: [{number, score}]; with `partial` when no
  // question matched every unit and these match some.
  function search(index, query) {
    return index.load().then(function () {
      return joinSpaced(index, parse(query));
    }).then(function (units) {
      if (!units.length) return { units: units, hits: [] };
      return Promise.all(units.map(function (u) { return unitScores(index, u); })).then(function (results) {
        var usable = results.filter(function (r) { return r; });
        var hits = combine(usable, usable.length === units.length ? usable.length : Infinity);
        var partial = false;
        if (!hits.length && usable.length) {
          hits = combine(usable, 1);
          partial = hits.length > 0;
        }
        var phrases = usable.map(function (r) { return r.phrase; }).filter(Boolean);
        var prefixTerms = [];
        usable.forEach(function (r) { if (r.prefixTerms) prefixTerms = prefixTerms.concat(r.prefixTerms); });
        return { units: units, hits: hits, partial: partial, phrases: phrases, prefixTerms: prefixTerms };
      });
    });
  }

  function combine(results, needed) {
    var matched = Object.create(null);
    results.forEach(function (r) {
      Object.keys(r.scores).forEach(function (n) {
        var hit = matched[n] || (matched[n] = { number: Number(n), score: 0, units: 0, exact: 0 });
        hit.score += r.scores[n];
        hit.units += 1;
        if (n in r.exact) hit.exact += 1;
      });
    });
    var hits = [];
    Object.keys(matched).forEach(function (n) {
      if (matched[n].units >= needed) hits.push(matched[n]);
    });
    // Matching more of the query first, then matching it exactly (not only by a word's start).
    hits.sort(function (a, b) {
      return b.units - a.units || b.exact - a.exact || b.score - a.score || a.number - b.number;
    });
    return hits;
  }

  // ---- excerpts -------------------------------------------------------------------------------

  // The terms a shown word counts as a match for: the query's, their synonyms, the words of a
  // joined term the bank never writes joined (else only the joined spellings are marked), and
  // the words starting with what is being typed.
  function matcher(index, found) {
    var terms = Object.create(null);
    found.units.forEach(function (u) {
      (u.phrase || [u.term]).concat(u.loose ? u.parts : []).forEach(function (t) {
        terms[t] = true;
        (index.synonymOf[t] || []).forEach(function (s) { terms[s] = true; });
      });
    });
    (found.prefixTerms || []).forEach(function (t) { terms[t] = true; });
    return terms;
  }

  // Spans of the text that match: single words, and chains or neighbours written joined.
  function matchSpans(text, terms) {
    var spans = [];
    var list = words(text);
    compounds(text).forEach(function (c) { if (terms[c.term]) spans.push(c); });
    list.forEach(function (w, i) {
      if (terms[w.term]) spans.push(w);
      var next = list[i + 1];
      if (next && /^[ \t]+$/.test(text.slice(w.end, next.start)) && terms[stem(w.term + next.term)]) {
        spans.push({ start: w.start, end: next.end });
      }
    });
    spans.sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
      else merged.push({ start: s.start, end: s.end });
    });
    return { spans: merged, words: list };
  }

  // Whether the text has the phrase's words in a row, with only spaces or hyphens between them.
  function hasPhrase(text, phrase) {
    var list = words(text);
    outer: for (var i = 0; i + phrase.length <= list.length; i++) {
      for (var k = 0; k < phrase.length; k++) {
        if (list[i + k].term !== phrase[k]) continue outer;
        if (k && !/^[\s-]+$/.test(text.slice(list[i + k - 1].end, list[i + k].start))) continue outer;
      }
      return true;
    }
    return false;
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function marked(text, spans, from, to) {
    var out = "";
    var at = from;
    spans.forEach(function (s) {
      if (s.end <= from || s.start >= to) return;
      out += escapeHtml(text.slice(at, Math.max(at, s.start))) + "<mark>" + escapeHtml(text.slice(Math.max(at, s.start), s.end)) + "</mark>";
      at = s.end;
    });
    return out + escapeHtml(text.slice(at, to));
  }

  var EXCERPT_WORDS = 30;

  // The run of about EXCERPT_WORDS words of one section that holds the most matches, as HTML.
  function excerpt(doc, terms) {
    var best = null;
    doc.sections.forEach(function (section, order) {
      var text = section[1];
      var found = matchSpans(text, terms);
      if (!found.words.length) return;
      var starts = found.spans.map(function (s) { return s.start; });
      var w = found.words;
      for (var i = 0; i < Math.max(1, starts.length); i++) {
        var first = 0;
        if (starts.length) {
          while (first + 1 < w.length && w[first + 1].start <= starts[i]) first++;
          first = Math.max(0, first - 8);
        }
        var last = Math.min(w.length - 1, first + EXCERPT_WORDS - 1);
        var from = w[first].start;
        var to = w[last].end;
        var count = starts.filter(function (s) { return s >= from && s < to; }).length;
        var value = count * 10 - order;
        if (!best || value > best.value) {
          best = { value: value, label: section[0], text: text, spans: found.spans, from: from, to: to,
                   before: first > 0, after: last < w.length - 1 };
        }
      }
    });
    if (!best) return { label: "", html: "" };
    var start = best.from;
    if (!best.before) start = 0;
    var html = (best.before ? "… " : "") + marked(best.text, best.spans, start, best.to) + (best.after ? " …" : "");
    return { label: best.label, html: html };
  }

  // The words a landing page marks: each distinct matched spelling in the question.
  function landingWords(doc, terms) {
    var seen = Object.create(null);
    var list = [];
    [doc.q].concat(doc.sections.map(function (s) { return s[1]; })).forEach(function (text) {
      matchSpans(text, terms).spans.forEach(function (s) {
        var word = text.slice(s.start, s.end);
        var key = word.toLowerCase();
        if (!seen[key] && list.length < 8) { seen[key] = true; list.push(word); }
      });
    });
    return list;
  }

  var core = {
    FORMAT: FORMAT, stem: stem, words: words, compounds: compounds, parse: parse, Index: Index,
    search: search, matcher: matcher, excerpt: excerpt, hasPhrase: hasPhrase, landingWords: landingWords
  };
  if (typeof module === "object" && module.exports) {
    module.exports = core;
    return;
  }

  // ---- the dialog -----------------------------------------------------------------------------

  var doc = root.document;
  var dialog = doc.querySelector("[data-qa-search]");
  var toggle = doc.getElementById("__search");
  if (!dialog || !toggle) return;
  var input = dialog.querySelector("input[type=search], input[name=query]");
  var list = dialog.querySelector("[data-qa-search-results]");
  var status = dialog.querySelector("[data-qa-search-status]");
  var topicFilter = dialog.querySelector("[data-qa-search-topic]");
  var levelFilter = dialog.querySelector("[data-qa-search-level]");
  var more = dialog.querySelector("[data-qa-search-more]");
  // The site's root, from this script's own URL (javascripts/search.js -> the root): right on every
  // page, after instant navigation too, without the theme's internals.
  var SITE_ROOT = new URL("../", doc.currentScript.src).href;
  var siteRoot = function () {
    return new URL(SITE_ROOT);
  };
  var index = new Index(new URL("search/", siteRoot()).toString(), function (url) {
    return root.fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  });
  var state = { query: "", found: null, shown: 0, ticket: 0 };

  function open() {
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    index.load().then(fillFilters, function () {});
    input.focus();
    input.select();
  }

  function close() {
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    input.blur();
  }

  function fillFilters() {
    if (topicFilter.options.length > 1) return;
    index.manifest.topics.forEach(function (topic, n) {
      topicFilter.add(new Option(topic[1], String(n)));
    });
    index.manifest.levels.forEach(function (level, n) {
      levelFilter.add(new Option(level.charAt(0).toUpperCase() + level.slice(1), String(n)));
    });
  }

  function filtered(hits) {
    var facets = index.manifest.facets;
    var levels = index.manifest.levels.length;
    var topic = topicFilter.value;
    var level = levelFilter.value;
    return hits.filter(function (hit) {
      var facet = facets[hit.number];
      return (topic === "" || Math.floor(facet / levels) === Number(topic)) && (level === "" || facet % levels === Number(level));
    });
  }

  function resultUrl(docFile, highlight) {
    var url = new URL(docFile.url, siteRoot());
    highlight.forEach(function (w) { url.searchParams.append("h", w); });
    return url.toString();
  }

  function renderHit(docFile, terms) {
    var item = doc.createElement("li");
    item.className = "md-search-result__item";
    var part = excerpt(docFile, terms);
    var link = doc.createElement("a");
    link.className = "md-search-result__link";
    link.href = resultUrl(docFile, landingWords(docFile, terms));
    link.setAttribute("data-qa-search-hit", docFile.id);
    var article = doc.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = doc.createElement("h1");
    title.innerHTML = marked(docFile.q, matchSpans(docFile.q, terms).spans, 0, docFile.q.length);
    var meta = doc.createElement("p");
    meta.className = "qa-search-meta";
    meta.textContent = docFile.topic + " · " + docFile.level.charAt(0).toUpperCase() + docFile.level.slice(1)
      + (part.label ? " · " + part.label : "");
    var text = doc.createElement("p");
    text.className = "qa-search-excerpt";
    text.innerHTML = part.html;
    article.appendChild(title);
    article.appendChild(meta);
    article.appendChild(text);
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  // Show the next PAGE results, checking quoted phrases against each question's text. Questions
  // are fetched a page at a time, in parallel.
  function showMore(ticket) {
    var found = state.found;
    var hits = filtered(found.hits);
    var terms = matcher(index, found);
    var batch = [];
    function next() {
      if (ticket !== state.ticket) return null;
      if (batch.length >= PAGE || state.cursor >= hits.length) return finish();
      var slice = hits.slice(state.cursor, state.cursor + PAGE - batch.length);
      state.cursor += slice.length;
      return Promise.all(slice.map(function (hit) { return index.doc(hit.number); })).then(function (docs) {
        docs.forEach(function (docFile) {
          var texts = [docFile.q].concat(docFile.sections.map(function (s) { return s[1]; }));
          var ok = found.phrases.every(function (phrase) {
            return texts.some(function (t) { return hasPhrase(t, phrase); });
          });
          if (ok) batch.push(docFile);
          else state.dropped++;
        });
        return next();
      });
    }
    function finish() {
      if (ticket !== state.ticket) return null;
      batch.forEach(function (docFile) { list.appendChild(renderHit(docFile, terms)); });
      state.shown += batch.length;
      var total = hits.length - state.dropped;
      // Without a quoted phrase every hit is a match; with one, only those checked so far are known.
      var exactTotal = !found.phrases.length || state.cursor >= hits.length;
      more.hidden = state.cursor >= hits.length;
      var count = exactTotal ? String(total) : "more than " + state.shown;
      if (!total && !state.shown) {
        status.textContent = found.units.length ? "No matching questions" + (topicFilter.value || levelFilter.value ? " with these filters" : "") : "Type to start searching";
      } else {
        status.textContent = (exactTotal && total === 1 ? "1 matching question" : count + " matching questions")
          + (found.partial ? " (none match every word; these match some)" : "");
      }
      return null;
    }
    return next();
  }

  function run() {
    var query = input.value;
    var ticket = ++state.ticket;
    if (!query.trim()) {
      list.textContent = "";
      status.textContent = "Type to start searching";
      more.hidden = true;
      return;
    }
    search(index, query).then(function (found) {
      if (ticket !== state.ticket) return;
      state.found = found;
      state.cursor = 0;
      state.dropped = 0;
      state.shown = 0;
      list.textContent = "";
      return showMore(ticket);
    }).catch(function (error) {
      if (ticket !== state.ticket) return;
      status.textContent = "Search is unavailable: " + error.message;
    });
  }

  function refilter() {
    if (!state.found) return;
    var ticket = ++state.ticket;
    state.cursor = 0;
    state.dropped = 0;
    state.shown = 0;
    list.textContent = "";
    showMore(ticket);
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link"));
  }

  // Whether a key pressed in `target` is text being typed (a radio button or checkbox is not).
  function typing(target) {
    if (!target) return false;
    if (target.isContentEditable || /^(textarea|select)$/i.test(target.tagName)) return true;
    return /^input$/i.test(target.tagName) && !/^(radio|checkbox|button|submit|reset|range|color|file)$/i.test(target.type);
  }

  input.addEventListener("input", run);
  // The header's search box is the input itself on a wide screen: focusing it opens the dialog.
  input.addEventListener("focus", function () {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
  });
  topicFilter.addEventListener("change", refilter);
  levelFilter.addEventListener("change", refilter);
  more.addEventListener("click", function () { showMore(state.ticket); });
  dialog.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) first.click();
  });
  dialog.querySelector("form").addEventListener("reset", function () {
    setTimeout(function () { run(); input.focus(); }, 0);
  });
  list.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a")) close();
  });
  doc.querySelectorAll('label[for="__search"]').forEach(function (label) {
    label.addEventListener("click", function (event) {
      if (!toggle.checked) { event.preventDefault(); open(); }
    });
  });
  toggle.addEventListener("change", function () {
    if (toggle.checked) index.load().then(fillFilters, function () {});
  });

  doc.addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (!toggle.checked) {
      if (!typing(event.target) && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        open();
      }
      return;
    }
    var items = links();
    var at = items.indexOf(doc.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length || (doc.activeElement !== input && at < 0)) return;
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var target = at + step;
      if (target < 0) input.focus();
      else items[Math.min(target, items.length - 1)].focus();
    }
  }, true);
})(typeof window !== "undefined" ? window : this);
