// Study tools on reading pages: known/learning marks and a random-question button on topic pages,
// and progress on the home page. The practice page is practice.js, which uses the helpers this
// file shares as window.StudyPage. The schedule, the shape
// of saved progress and the queues are in study-core.js (window.StudyCore), loaded before this.
//
// The cards come from practice/cards.json, written from the bank on every build. Nothing is sent
// anywhere: progress stays in localStorage and moves between browsers only by export/import.
(function () {
  "use strict";

  var core = window.StudyCore;

  // ---- progress store -----------------------------------------------------------------------

  function siteRoot() {
    return window.__md_scope ? new URL(window.__md_scope) : new URL("./", window.location.href);
  }

  // Progress is saved under the site's path, so two sites on one origin keep theirs apart.
  function storagePrefix() {
    return siteRoot().pathname;
  }

  // Reading window.localStorage itself throws where the browser blocks storage for this site.
  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function loadProgress(validIds) {
    return core.readProgress(storage(), storagePrefix(), validIds);
  }

  // Saving can fail (storage full, or blocked by the browser's settings): the session goes on in
  // memory, and the page says so once instead of throwing.
  function saveProgress(progress) {
    if (core.writeProgress(storage(), storagePrefix(), progress)) return true;
    var root = document.querySelector(".qa-practice");
    if (root && !root.querySelector(".qa-practice__storage")) {
      root.insertBefore(el("p", { class: "qa-practice__storage", role: "status", text:
        "Your progress cannot be saved in this browser (its storage is full or blocked), so it lasts " +
        "only until you leave this page. Export it to keep it." }), root.firstChild);
    }
    return false;
  }

  // ---- data ---------------------------------------------------------------------------------

  var loaded = {};

  // practice/cards.json (every card, for the practice page) or practice/index.json (question id
  // to topic, small enough for every topic page and the home page), each fetched once.
  function loadJson(path) {
    if (!loaded[path]) {
      loaded[path] = fetch(new URL(path, siteRoot())).then(function (response) {
        if (!response.ok) throw new Error(path + ": HTTP " + response.status);
        return response.json();
      });
    }
    return loaded[path];
  }

  function idsOf(deck) {
    var ids = Object.create(null);
    deck.cards.forEach(function (c) { ids[c.id] = true; });
    return ids;
  }

  // The same shape as a deck, from the small index: enough for marks and progress counts.
  function deckFromIndex(index) {
    return { cards: Object.keys(index.questions).map(function (id) { return { id: id, topic: index.questions[id] }; }) };
  }

  function days(n) {
    return n === 0 ? "same day" : n === 1 ? "1 day" : n + " days";
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  // ---- topic pages: known / learning marks --------------------------------------------------

  function markTopicQuestions(deck) {
    var ids = idsOf(deck);
    document.querySelectorAll("details.qa[data-question]").forEach(function (details) {
      var id = details.getAttribute("data-question");
      var meta = details.previousElementSibling;
      if (!ids[id] || !meta || !meta.classList.contains("qa-meta") || meta.querySelector(".qa-mark")) return;
      var known = el("button", { type: "button", class: "qa-mark__button", "data-mark": "knew", text: "I know this" });
      var learning = el("button", { type: "button", class: "qa-mark__button", "data-mark": "missed", text: "Still learning" });
      var mark = el("span", { class: "qa-mark", "data-question": id }, [known, learning]);
      function refresh() {
        var state = loadProgress(ids).cards[id];
        known.setAttribute("aria-pressed", String(!!state && state.last === "knew"));
        learning.setAttribute("aria-pressed", String(!!state && state.last === "missed"));
      }
      mark.addEventListener("click", function (event) {
        var rating = event.target.getAttribute("data-mark");
        if (!rating) return;
        var progress = loadProgress(ids);
        progress.cards[id] = core.rate(progress.cards[id], rating, Date.now());
        saveProgress(progress);
        refresh();
      });
      meta.appendChild(mark);
      refresh();
    });
  }

  // ---- topic pages: a random question of this topic -----------------------------------------

  // The button is added as the page loads, without waiting for any data, so nothing below it
  // moves later. On a click the page's topic is the topic of its first question, and the pool is
  // every question of that topic, also those on other parts of a long topic (questions.js goes
  // to the part that has it).
  function addTopicRandom() {
    var count = document.querySelector(".qa-topic-count");
    var first = document.querySelector("details.qa[data-question]");
    if (!count || !first || document.querySelector(".qa-print-marker, .qa-random")) return;
    var button = el("button", { type: "button", class: "md-button qa-practice__button qa-random",
      text: "Random question from this topic" });
    button.addEventListener("click", function () {
      loadJson("practice/index.json").then(function (index) {
        var topic = index.questions[first.getAttribute("data-question")];
        var ids = Object.keys(index.questions).filter(function (id) { return index.questions[id] === topic; });
        var here = "";
        try { here = decodeURIComponent(window.location.hash.slice(1)); } catch (error) { /* a broken escape names no question */ }
        var pool = ids.length > 1 ? ids.filter(function (id) { return id !== here; }) : ids;
        if (!pool.length) return;
        var id = pool[Math.floor(Math.random() * pool.length)];
        if (id === here) {
          // The only question, already shown: no hash change would fire, so bring it into view.
          if (document.getElementById(id)) document.getElementById(id).scrollIntoView();
          return;
        }
        // questions.js opens the answer for the new hash (or goes to the part of the topic that has it).
        window.location.hash = id;
      });
    });
    count.parentNode.insertBefore(el("p", { class: "qa-random-row" }, [button]), count.nextSibling);
  }

  // ---- home page: progress per topic --------------------------------------------------------

  function showTopicProgress(deck) {
    var progress = loadProgress(idsOf(deck));
    document.querySelectorAll(".qa-cards a[href]").forEach(function (link) {
      var match = /topics\/([a-z0-9-]+)\/?$/.exec(link.getAttribute("href"));
      var item = link.closest("li");
      if (!match || !item) return;
      var cards = deck.cards.filter(function (c) { return c.topic === match[1]; });
      var c = core.counts(cards, progress, Date.now());
      var line = item.querySelector(".qa-topic-progress") || el("p", { class: "qa-topic-progress" });
      line.setAttribute("data-topic", match[1]);
      line.textContent = "Your progress: " + c.known + " of " + cards.length + " known · " + c.dueToday + " due today";
      if (!line.parentNode) item.appendChild(line);
    });
  }

  // ---- shared with practice.js --------------------------------------------------------------

  window.StudyPage = {
    loadProgress: loadProgress,
    saveProgress: saveProgress,
    loadJson: loadJson,
    idsOf: idsOf,
    days: days,
    el: el,
    siteRoot: siteRoot
  };

  // ---- wiring (also after Material's instant navigation) ------------------------------------

  function init() {
    if (document.querySelector("[data-practice]")) return;  // practice.js runs that page
    if (document.querySelector("details.qa[data-question], .qa-cards")) {
      addTopicRandom();
      loadJson("practice/index.json").then(function (index) {
        var deck = deckFromIndex(index);
        markTopicQuestions(deck);
        showTopicProgress(deck);
      });
    }
  }

  if (window.document$) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
