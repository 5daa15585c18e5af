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

  // The site's root, from this script's own URL (javascripts/study.js -> the root): right on every
  // page, after instant navigation too, without the theme's internals.
  var SITE_ROOT = new URL("../", document.currentScript.src).href;

  function siteRoot() {
    return new URL(SITE_ROOT);
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

  // Once a save has failed (storage full, or blocked by the browser's settings), the progress is
  // kept here instead and every read returns it: the practice page, topic pages and the mock
  // interview all go on with it (across instant navigation too) until the tab is closed or
  // reloaded, and each page says so once instead of throwing. A later save that succeeds stores
  // it all and ends this.
  var unsaved = null;

  function loadProgress(validIds) {
    if (unsaved) {
      storageNotice();
      return unsaved;
    }
    return core.readProgress(storage(), storagePrefix(), validIds);
  }

  function saveProgress(progress) {
    if (core.writeProgress(storage(), storagePrefix(), progress)) {
      unsaved = null;
      return true;
    }
    unsaved = progress;
    storageNotice();
    return false;
  }

  var STORAGE_NOTICE = "Your progress cannot be saved in this browser (its storage is full or blocked), so it " +
    "is kept only until you close or reload this tab.";

  // The notice, once per page: at the top of the practice area, or under the page's title (a
  // topic page, the mock interview). The status region is placed first and filled a moment
  // later, so screen readers announce it.
  function storageNotice() {
    var practice = document.querySelector(".qa-practice");
    var content = practice || document.querySelector(".md-content__inner");
    if (!content || content.querySelector(".qa-storage-notice")) return;
    var notice = el("p", { class: "qa-storage-notice", role: "status" });
    var title = practice ? null : content.querySelector(":scope > h1");
    content.insertBefore(notice, title ? title.nextSibling : content.firstChild);
    window.setTimeout(function () {
      notice.textContent = STORAGE_NOTICE + " Export it" + (practice ? "" : " from the practice page") + " to keep it.";
    }, 50);
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

  // ---- topic pages: new / learning / known marks ------------------------------------------

  var MARK_WORDS = { learning: "Learning", known: "Known" };

  // A topic page holds dozens of questions. Their controls (the mark, your answer first) go in all
  // at once, in the state of a question never marked, as soon as the page's content is there:
  // one change to the page instead of one per batch of questions, each of which made the theme
  // lay the page out again (a long page blocked the main thread for about a second on a phone).
  // The saved state needs practice/index.json (every question's id, so a save keeps the progress
  // of questions on other pages); once it is in, only the questions marked or answered change.
  // `withIds(fn)` calls fn with those ids once they are in.

  // Each question's mark, from the same saved progress the practice page rates: set where the
  // reader finishes reading (the end of the open answer), shown on the closed answer's summary
  // and as a tick beside known questions in the table of contents. Pressing the pressed button
  // again clears the mark (the question is new again). Returns the function that shows a state.
  function addMark(details, id, withIds) {
    var known = el("button", { type: "button", class: "qa-mark__button", "data-mark": "known", "aria-pressed": "false",
      text: "I know this" });
    var learning = el("button", { type: "button", class: "qa-mark__button", "data-mark": "learning",
      "aria-pressed": "false", text: "Still learning" });
    var note = el("span", { class: "qa-mark__note", "aria-live": "polite" });
    var mark = el("div", { class: "qa-mark", role: "group", "aria-label": "Your mark for this question",
      "data-question": id }, [el("span", { class: "qa-mark__label", text: "How did you do?" }), learning, known, note]);
    var badge = el("span", { class: "qa-state", "data-question": id });
    function show(state, changed) {
      known.setAttribute("aria-pressed", String(state === "known"));
      learning.setAttribute("aria-pressed", String(state === "learning"));
      details.setAttribute("data-mark", state);
      badge.textContent = MARK_WORDS[state] || "";
      badge.className = "qa-state" + (MARK_WORDS[state] ? " qa-state--" + state : "");
      note.textContent = !changed ? "" : state === "new" ? "Mark cleared." :
        "Marked " + MARK_WORDS[state].toLowerCase() + "; press again to clear.";
      tickContents(id, state);
    }
    mark.addEventListener("click", function (event) {
      var button = event.target.closest("[data-mark]");
      if (!button) return;
      var wanted = button.getAttribute("aria-pressed") === "true" ? "new" : button.getAttribute("data-mark");
      withIds(function (ids) {
        saveProgress(core.setMark(loadProgress(ids), id, wanted, Date.now()));
        show(core.markOf(loadProgress(ids).cards[id]), true);
      });
    });
    details.querySelector(":scope > summary").appendChild(badge);
    details.appendChild(mark);
    return show;
  }

  // The theme's table of contents (the right sidebar, or the drawer on a phone) links each
  // question's heading: a known question gets a tick there.
  function tickContents(id, state) {
    document.querySelectorAll(".md-nav--secondary a.md-nav__link").forEach(function (link) {
      if (link.hash.slice(1) !== id) return;
      link.classList.toggle("qa-toc-known", state === "known");
      var tick = link.querySelector(".qa-toc-state");
      if (state === "known" && !tick) {
        link.appendChild(el("span", { class: "qa-toc-state" }, [
          el("span", { "aria-hidden": "true", text: " ✓" }), el("span", { class: "qa-visually-hidden", text: " (known)" })]));
      } else if (state !== "known" && tick) {
        tick.remove();
      }
    });
  }

  // ---- your answer first (topic pages here, the practice card in practice.js) --------------

  var OWN_EMPTY = "Write your answer first";

  function ownLabel(box, text) {
    var wanted = !text ? OWN_EMPTY : unsaved ? "Your answer (not saved)" : "Your answer (saved)";
    var summary = box.querySelector(":scope > summary");
    if (summary.textContent !== wanted) summary.textContent = wanted;
  }

  // A folded box to write your own answer before opening ours: saved as you type, with the
  // progress, in this browser only (and in its export). `held` is the progress a page keeps in
  // memory and saves itself (the practice page), updated in place; without it the saved progress
  // is read afresh. The text box is made when the box is first opened: a topic page holds dozens.
  // `box` is the page's own (a topic page has one before each closed answer) or a new one.
  function ownAnswerBox(id, withIds, held, box) {
    box = box || el("details", { class: "qa-own", "data-question": id }, [
      el("summary", { class: "qa-own__summary", text: OWN_EMPTY })]);
    box.setAttribute("data-ready", "");
    box.addEventListener("toggle", function () {
      // Not when the theme opens every box to print the page (the box is not printed).
      if (!box.open || box.querySelector("textarea") || !box.getClientRects().length) return;
      var area = el("textarea", { class: "qa-own__text", rows: "6", maxlength: String(core.MAX_OWN_ANSWER),
        "aria-label": "Your answer", placeholder: "Say it or write it here, then open the answer to compare." });
      var status = el("span", { class: "qa-own__status", role: "status" });
      box.appendChild(el("div", { class: "qa-own__body" }, [area, el("p", { class: "qa-own__note" }, [
        document.createTextNode("Saved in this browser only, with your progress. "), status])]));
      // Read-only until the saved answer is in, so typing never replaces it unseen.
      area.readOnly = true;
      withIds(function (ids) {
        area.value = (held || loadProgress(ids)).answers[id] || "";
        area.readOnly = false;
      });
      var timer = null;
      area.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          withIds(function (ids) {
            var progress = held || loadProgress(ids);
            core.setOwnAnswer(progress, id, area.value);
            status.textContent = saveProgress(progress) ? "Saved." : "Kept until you close this tab (not saved).";
            ownLabel(box, progress.answers[id]);
          });
        }, 300);
      });
      area.focus();
    });
    return box;
  }

  // The practice card's box, for progress the page holds.
  function ownAnswerField(id, ids, held) {
    var box = ownAnswerBox(id, function (fn) { fn(ids); }, held);
    ownLabel(box, (held || loadProgress(ids)).answers[id]);
    return box;
  }

  // Your answer beside ours: `theirs` (the nodes of our answer) moves into the right-hand column.
  function besideOurs(text, theirs) {
    var yours = el("div", { class: "qa-compare__yours" }, [
      el("h3", { class: "qa-label", text: "Your answer" }),
      el("div", { class: "qa-compare__text", text: text })]);
    var ours = el("div", { class: "qa-compare__ours" });
    theirs.forEach(function (node) { ours.appendChild(node); });
    return el("div", { class: "qa-compare" }, [yours, ours]);
  }

  // Opening an answer you wrote your own for shows the two side by side.
  function compareOnOpen(details, id, withIds) {
    details.addEventListener("toggle", function () {
      var compare = details.querySelector(":scope > .qa-compare");
      if (compare) {  // put our answer back where it was
        var ours = compare.querySelector(".qa-compare__ours");
        while (ours.firstChild) details.insertBefore(ours.firstChild, compare);
        compare.remove();
      }
      if (!details.open) return;
      withIds(function (ids) {
        var text = details.open && !details.querySelector(":scope > .qa-compare") && loadProgress(ids).answers[id];
        var label = details.querySelector(":scope > h3.qa-label");
        var answer = details.querySelector(":scope > .qa-answer");
        if (!text || !label || !answer) return;
        details.insertBefore(besideOurs(text, [label, answer]), details.querySelector(":scope > summary").nextSibling);
      });
    });
  }

  // Every question on a topic page gets its controls now; `apply(ids)` shows the saved state.
  function addStudyControls(withIds) {
    var added = [];
    document.querySelectorAll("details.qa[data-question]").forEach(function (details) {
      var id = details.getAttribute("data-question");
      if (!details.querySelector(":scope > summary") || details.querySelector(":scope > .qa-mark")) return;
      // The box is the page's (qbank/render.py writes one before each closed answer; a printable
      // page has none).
      var place = details.previousElementSibling;
      var box = place && place.matches('.qa-own[data-question="' + id + '"]') ? ownAnswerBox(id, withIds, null, place) : null;
      added.push({ id: id, details: details, box: box, show: addMark(details, id, withIds) });
      compareOnOpen(details, id, withIds);
    });
    // `ids` null: the index could not be loaded, so nothing can be saved and the controls go.
    return function apply(ids) {
      var progress = ids ? loadProgress(ids) : null;
      added.forEach(function (q) {
        if (!ids || !ids[q.id]) {  // or not a question of the bank's practice deck: nothing to mark
          if (q.box) q.box.remove();
          q.details.querySelectorAll(":scope > .qa-mark, :scope > summary > .qa-state").forEach(function (n) { n.remove(); });
          return;
        }
        var state = core.markOf(progress.cards[q.id]);
        if (state !== "new") q.show(state, false);
        if (q.box && progress.answers[q.id]) ownLabel(q.box, progress.answers[q.id]);
      });
    };
  }

  // ---- topic pages: a random question of this topic -----------------------------------------

  // The page holds the control (qbank/render.py, an element in a button's role), so nothing moves when
  // it starts to work. On a click the page's topic is the topic of its first question, and the
  // pool is every question of that topic, also those on other parts of a long topic (questions.js
  // goes to the part that has it).
  function addTopicRandom() {
    var button = document.querySelector(".qa-random[role=button]");
    var first = document.querySelector("details.qa[data-question]");
    if (!button || !first || button.hasAttribute("data-ready")) return;
    function pick(event) {
      event.preventDefault();
      loadJson("practice/index.json").then(function (index) {
        var topic = index.questions[first.getAttribute("data-question")];
        var ids = Object.keys(index.questions).filter(function (id) { return index.questions[id] === topic; });
        var here = "";
        try { here = decodeURIComponent(window.location.hash.slice(1)); } catch (error) { /* a broken escape names no question */ }
        var pool = ids.length > 1 ? ids.filter(function (id) { return id !== here; }) : ids;
        if (!pool.length) return;
        var id = pool[Math.floor(Math.random() * pool.length)];
        // questions.js brings it into view with the answer closed (going to the part of the topic
        // that has it): the reader answers first.
        window.QuestionLanding.ask(id);
      });
    }
    button.addEventListener("click", pick);
    button.addEventListener("keydown", function (event) {  // as a button takes the keyboard
      if (event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (event.key === " " || event.key === "Enter") pick(event);
    });
    button.setAttribute("data-ready", "");
  }

  // ---- home page: progress per topic --------------------------------------------------------

  // The home page's main button says what a returning reader has waiting.
  function showDue(deck, progress) {
    var start = document.querySelector(".qa-start__practice");
    if (!start || !Object.keys(progress.cards).length) return;
    var due = core.counts(deck.cards, progress, Date.now()).dueToday;
    start.textContent = due ? due + " due today — continue" : "Continue practising";
  }

  function showTopicProgress(deck) {
    var progress = loadProgress(idsOf(deck));
    showDue(deck, progress);
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

  // ---- plan pages: progress per day and per plan ---------------------------------------------

  // A plan page lists each day's questions (li[data-question]); the plans index lists plans
  // (li[data-plan]) whose questions come from downloads/plans.json. Known questions are ticked and
  // counted; the first day not yet known through is marked as the one to do next.
  function showPlanProgress(deck) {
    var ids = idsOf(deck);
    var progress = loadProgress(ids);
    var known = function (id) { return core.markOf(progress.cards[id]) === "known"; };
    var days = document.querySelectorAll("[data-plan-day]");
    var next = null;
    days.forEach(function (day) {
      var items = day.querySelectorAll("li[data-question]");
      var done = 0;
      items.forEach(function (item) {
        var state = core.markOf(progress.cards[item.getAttribute("data-question")]);
        item.setAttribute("data-mark", state);
        if (state === "known") done += 1;
      });
      var line = day.querySelector("[data-day-progress]");
      if (line) line.textContent = done + " of " + items.length + " known";
      day.classList.toggle("qa-plan-day--done", done === items.length);
      if (!next && done < items.length) next = day;
    });
    days.forEach(function (day) { day.classList.toggle("qa-plan-day--next", day === next); });
    if (days.length) {
      var all = document.querySelectorAll("[data-plan-day] li[data-question]");
      var count = Array.prototype.filter.call(all, function (item) { return known(item.getAttribute("data-question")); }).length;
      var total = document.querySelector("[data-plan-progress]");
      if (total) total.textContent = "You know " + count + " of " + all.length +
        (next ? "; next up: day " + next.getAttribute("data-plan-day") + "." : "; plan complete.");
    }
    var listed = document.querySelectorAll("li[data-plan] [data-plan-progress]");
    if (listed.length) {
      loadJson("downloads/plans.json").then(function (data) {
        listed.forEach(function (line) {
          var slug = line.closest("li[data-plan]").getAttribute("data-plan");
          var plan = data.plans.filter(function (p) { return p.slug === slug; })[0];
          if (!plan) return;
          var qids = [].concat.apply([], plan.days.map(function (d) { return d.questions; }));
          var count = qids.filter(known).length;
          line.textContent = count ? "· you know " + count + " of " + qids.length : "";
        });
      });
    }
  }

  // ---- shared with practice.js --------------------------------------------------------------

  window.StudyPage = {
    loadProgress: loadProgress,
    saveProgress: saveProgress,
    loadJson: loadJson,
    idsOf: idsOf,
    days: days,
    el: el,
    siteRoot: siteRoot,
    ownAnswerField: ownAnswerField,
    besideOurs: besideOurs
  };

  // ---- wiring (also after Material's instant navigation) ------------------------------------

  // The page whose study tools are in: init runs when this script does (the page's content is
  // above it) and again on the theme's document$, which also fires after instant navigation.
  var ready = null;

  function init() {
    var content = document.querySelector(".md-content") || document.body;
    if (!content || ready === content || document.querySelector("[data-practice]")) return;  // practice.js runs that page
    ready = content;
    if (document.querySelector("details.qa[data-question], .qa-cards, [data-plan-day], li[data-plan]")) {
      addTopicRandom();
      var index = loadJson("practice/index.json");
      var ids = index.then(function (data) { return idsOf(deckFromIndex(data)); });
      var apply = addStudyControls(function (fn) { ids.then(fn, function () { /* apply(null) said so */ }); });
      index.then(function (data) {
        var deck = deckFromIndex(data);
        apply(idsOf(deck));
        showTopicProgress(deck);
        showPlanProgress(deck);
      }, function () {
        apply(null);
      });
    }
  }

  init();
  if (window.document$) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
