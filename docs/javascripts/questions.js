// Opens the answer a reader was sent to, marks the words a search matched inside it, and brings
// its heading fully into view below the sticky header.
//
// A question's anchor is its heading, just before its closed <details>, so a link to it opens
// nothing by itself. This runs on every page (including after instant navigation) and on every
// hash change. A search result (docs/javascripts/search.js) links to "<page>?h=<word>&h=...#<id>":
// each h is a word or phrase as the answer writes it. "<page>?ask#<id>" lands with the answer closed.
(function () {
  "use strict";

  // The site's root, from this script's own URL (javascripts/questions.js -> the root): right on
  // every page, after instant navigation too, without the theme's internals.
  var SITE_ROOT = new URL("../", document.currentScript.src).href;

  function answerFor(target) {
    if (!target) return null;
    if (target.matches("h2[id]")) {
      var next = target.nextElementSibling;
      while (next && !next.matches("h2")) {
        if (next.matches("details.qa")) return next;
        next = next.nextElementSibling;
      }
      return null;
    }
    return target.closest("details.qa");
  }

  // Links from the old search index named the question as "?qid=<id>"; show it as "#<id>".
  function targetFromLocation() {
    var url = new URL(window.location.href);
    var qid = url.searchParams.get("qid");
    if (qid) {
      url.searchParams.delete("qid");
      url.hash = qid;
      window.history.replaceState(window.history.state, "", url.toString());
    }
    var id = decodedHash(url.hash);
    return id ? document.getElementById(id) : null;
  }

  // A hand-typed or mangled link can carry a broken escape (#%E0%A4%A); it names no question.
  function decodedHash(hash) {
    try {
      return decodeURIComponent(hash.slice(1));
    } catch (error) {
      return "";
    }
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Wrap each whole-word occurrence of the words in <mark data-md-highlight>.
  function highlight(root, words) {
    var terms = words.filter(function (t) { return t.trim().length > 0; });
    if (!terms.length) return;
    terms.sort(function (a, b) { return b.length - a.length; });
    var pattern = new RegExp("(?<![A-Za-z0-9])(" + terms.map(escapeRegExp).join("|") + ")(?![A-Za-z0-9])", "gi");
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest("mark, summary")) continue;
      pattern.lastIndex = 0;
      if (pattern.test(node.nodeValue)) nodes.push(node);
    }
    nodes.forEach(function (textNode) {
      var fragment = document.createDocumentFragment();
      var text = textNode.nodeValue;
      var last = 0;
      text.replace(pattern, function (match, _group, offset) {
        fragment.appendChild(document.createTextNode(text.slice(last, offset)));
        var mark = document.createElement("mark");
        mark.setAttribute("data-md-highlight", "");
        mark.textContent = match;
        fragment.appendChild(mark);
        last = offset + match.length;
        return match;
      });
      fragment.appendChild(document.createTextNode(text.slice(last)));
      textNode.replaceWith(fragment);
    });
  }

  // "?ask" (a random question on another part of the topic, see ask below) lands on the question
  // with its answer still closed: the reader answers first. It holds for one landing.
  function reveal(target) {
    var answer = answerFor(target);
    if (!answer) return;
    var url = new URL(window.location.href);
    if (url.searchParams.has("ask")) {
      url.searchParams.delete("ask");
      window.history.replaceState(window.history.state, "", url.toString());
    } else {
      answer.open = true;
      var words = url.searchParams.getAll("h");
      if (words.length) highlight(answer, words);
    }
    land(target);
  }

  // Brings a question into view with its answer closed (the random-question button in study.js).
  // The address names it, but without a hash change: the theme would answer one by rebuilding
  // the page. A question on another part is reached through that part's page, with "?ask".
  function ask(id) {
    var target = document.getElementById(id);
    if (target) {
      var answer = answerFor(target);
      if (answer) answer.open = false;
      window.history.pushState(window.history.state, "", "#" + encodeURIComponent(id));
      land(target);
      return;
    }
    var url = new URL(window.location.href);
    url.searchParams.set("ask", "");
    url.hash = id;
    window.history.pushState(window.history.state, "", url.toString());
    forwardToPart(id);
  }

  window.QuestionLanding = { ask: ask };

  // Scroll the heading to just below the sticky header (h2[id] has a scroll-margin-top), now and
  // again once the page has settled (images, fonts, the theme's own scroll on instant
  // navigation), unless the reader has scrolled in between.
  function land(target) {
    target.scrollIntoView({ block: "start" });
    var settled = window.scrollY;
    var again = function () {
      if (Math.abs(window.scrollY - settled) > 2 && !offScreen(target)) return;
      target.scrollIntoView({ block: "start" });
      settled = window.scrollY;
    };
    window.requestAnimationFrame(again);
    window.setTimeout(again, 250);
    window.setTimeout(again, 800);
  }

  function offScreen(element) {
    var box = element.getBoundingClientRect();
    var header = document.querySelector(".md-header");
    var top = header ? header.getBoundingClientRect().bottom : 0;
    return box.top < top || box.top > window.innerHeight;
  }

  // A long topic is split into parts (see routes.paginate); a permalink names the topic's first
  // page. When the question is not on this page, look up its part and go there, keeping the hash.
  // index.json names the parts after the first; a question it does not name is on part 1 (a link to
  // a later part can outlive the question's place there: a question added before it moves it back).
  // Printable pages are cut at another size, so they do not forward.
  function forwardToPart(id) {
    var parts = document.querySelector("nav.qa-parts");
    var first = document.querySelector("details.qa[data-question]");
    if (!id || !parts || !first || document.querySelector(".qa-print-marker")) return;
    fetch(new URL("practice/index.json", SITE_ROOT)).then(function (response) {
      return response.ok ? response.json() : {};
    }).then(function (index) {
      var topics = index.questions || {};
      if (!topics[id] || topics[id] !== topics[first.getAttribute("data-question")]) return;
      var part = (index.parts && index.parts[id]) || 1;
      var link = parts.querySelector('a[data-part="' + part + '"]');
      if (!link) return;
      var url = new URL(link.href);
      url.search = window.location.search;
      url.hash = id;
      window.location.replace(url.toString());
    });
  }

  function revealFromLocation() {
    var target = targetFromLocation();
    if (target) reveal(target);
    else forwardToPart(decodedHash(window.location.hash));
  }

  if (window.document$) {
    window.document$.subscribe(revealFromLocation);
  } else {
    document.addEventListener("DOMContentLoaded", revealFromLocation);
  }
  window.addEventListener("hashchange", revealFromLocation);
})();
