// Opens the answer a reader was sent to, and highlights search terms inside it.
//
// Material opens a collapsed block only when the link target is *inside* it, and its search
// highlighting marks only visible text. A question's anchor is its heading, just before its
// closed <details>, so both are handled here: on every page (including after instant
// navigation) and on every hash change.
(function () {
  "use strict";

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

  // A search result links to "?qid=<id>" (see macros/searchindex.py); show it as "#<id>".
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

  // Wrap each occurrence of a term in <mark data-md-highlight>, as Material does for visible text.
  function highlight(root, query) {
    var terms = query.split(/[\s\-:~^*+]+/).filter(function (t) { return t.length > 0; });
    if (!terms.length) return;
    var pattern = new RegExp("(" + terms.map(escapeRegExp).join("|") + ")", "gi");
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

  function reveal(target) {
    var answer = answerFor(target);
    if (!answer) return;
    answer.open = true;
    var query = new URL(window.location.href).searchParams.get("h");
    if (query) highlight(answer, query);
    target.scrollIntoView();
  }

  // A long topic is split into parts (see render.paginate); a permalink names the topic's first
  // page. When the question is not on this page, look up its part and go there, keeping the hash.
  function forwardToPart(id) {
    var parts = document.querySelector("nav.qa-parts");
    if (!id || !parts) return;
    var root = window.__md_scope ? new URL(window.__md_scope) : new URL("./", window.location.href);
    fetch(new URL("practice/index.json", root)).then(function (response) {
      return response.ok ? response.json() : {};
    }).then(function (index) {
      var part = index.parts && index.parts[id];
      var link = part && parts.querySelector('a[data-part="' + part + '"]');
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
