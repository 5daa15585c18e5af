// The practice page (flashcards), from practice/deck.json (the cards without answers, so the first
// question shows early) and then practice/cards.json (the answers). The schedule, the shape of saved progress, the queues, sessions
// (undo, summary), the filters in the address and the settings are in study-core.js
// (window.StudyCore); storage of the progress, data loading and DOM helpers are shared by study.js
// (window.StudyPage). Both load before this file.
//
// Layout, for a phone first: the card comes first, under one compact bar of filters; the button
// that shows the answer, and then the rating buttons, sit in a bar that sticks to the bottom of
// the screen while the card is on it, within reach of a thumb; progress, settings and the
// explanations are folded away below.
(function () {
  "use strict";

  var core = window.StudyCore;
  var page = window.StudyPage;
  var RATINGS = core.RATINGS;
  var loadProgress = page.loadProgress;
  var saveProgress = page.saveProgress;
  var loadJson = page.loadJson;
  var idsOf = page.idsOf;
  var days = page.days;
  var el = page.el;
  var siteRoot = page.siteRoot;
  var MIN_TAG_CARDS = 3; // a tag on fewer questions makes too short a queue to offer
  var LEVEL_TITLES = { foundational: "Foundational", intermediate: "Intermediate", advanced: "Advanced" };
  var MODE_TITLES = { due: "Due and new", missed: "Only what I missed", all: "All cards" };
  var FILTER_TITLES = { topic: "topic", level: "level", tag: "tag" };

  // The settings live beside the progress, under the same site path (see study.js).
  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function storagePrefix() {
    return siteRoot().pathname;
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function dateText(ms, now) {
    var date = new Date(ms);
    var time = date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    if (core.dayOf(ms) === core.dayOf(now)) return "later today at " + time;
    if (core.dayOf(ms) === core.dayOf(now + 24 * 60 * 60 * 1000)) return "tomorrow";
    return "on " + date.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });
  }

  // ---- practice page ------------------------------------------------------------------------

  // `plans` is downloads/plans.json's list (or null when the address names no plan).
  function Practice(root, deck, plans) {
    var self = this;
    this.plans = Object.create(null);
    (plans || []).forEach(function (p) {
      self.plans[p.slug] = { title: p.title, ids: [].concat.apply([], p.days.map(function (d) { return d.questions; })) };
    });
    this.root = root;
    this.deck = deck;
    this.ids = idsOf(deck);
    this.progress = loadProgress(this.ids);
    this.settings = core.readSettings(storage(), storagePrefix());
    this.topicTitles = Object.create(null);
    deck.topics.forEach(function (t) { self.topicTitles[t.slug] = t.title; });
    this.tags = core.commonTags(deck.cards, MIN_TAG_CARDS);
    this.known = { topics: Object.create(null), tags: Object.create(null), plans: this.plans };
    deck.topics.forEach(function (t) { self.known.topics[t.slug] = true; });
    this.tags.forEach(function (t) { self.known.tags[t.tag] = true; });
    this.filters = core.parseFilters(window.location.search, this.known);
    this.extraNew = 0; // new cards asked for beyond today's limit, in this visit
    this.answers = null; // question id -> answer HTML, once practice/cards.json is in
    this.revealed = false;
    this.render();
    this.restart();
  }

  // The cards a queue is drawn from: the plan's, in its order, when one is chosen; else the deck.
  Practice.prototype.scope = function () {
    var plan = this.filters.plan && this.plans[this.filters.plan];
    return plan ? core.planCards(this.deck.cards, plan.ids) : this.deck.cards;
  };

  Practice.prototype.filtered = function () {
    return core.filterCards(this.scope(), this.filters);
  };

  Practice.prototype.allowed = function (now) {
    return core.newLeft(this.settings, now) + this.extraNew;
  };

  Practice.prototype.restart = function () {
    var now = Date.now();
    var plan = core.planQueue(this.filters.mode, this.filtered(), this.progress, now, this.allowed(now));
    this.heldBack = plan.heldBack;
    this.session = core.startSession(plan.queue);
    this.show();
  };

  Practice.prototype.current = function () {
    return core.currentCard(this.session);
  };

  // ---- building the page --------------------------------------------------------------------

  Practice.prototype.select = function (name, label, options) {
    var select = el("select", { "data-filter": name });
    options.forEach(function (o) { select.appendChild(el("option", { value: o[0], text: o[1] })); });
    return el("label", { class: "qa-practice__filter" }, [el("span", { text: label }), select]);
  };

  Practice.prototype.tagInput = function () {
    var list = el("datalist", { id: "qa-practice-tags" }, this.tags.map(function (t) {
      return el("option", { value: t.tag, label: plural(t.count, "question") });
    }));
    this.tagField = el("input", { type: "search", list: "qa-practice-tags", "data-filter": "tag",
      placeholder: "All tags", autocomplete: "off", spellcheck: "false", "aria-describedby": "qa-practice-tag-hint" });
    this.tagHint = el("span", { id: "qa-practice-tag-hint", class: "qa-practice__hint", role: "status" });
    return el("label", { class: "qa-practice__filter qa-practice__filter--tag" }, [
      el("span", { text: "Tag" }),
      this.tagField, list, this.tagHint
    ]);
  };

  Practice.prototype.button = function (action, label, extra) {
    var attributes = { type: "button", class: "md-button qa-practice__button", "data-action": action };
    Object.keys(extra || {}).forEach(function (k) {
      if (k === "class") attributes.class += " " + extra[k];
      else attributes[k] = extra[k];
    });
    return el("button", attributes, [document.createTextNode(label)]);
  };

  Practice.prototype.rateButton = function (rating, key) {
    var button = this.button("rate", RATINGS[rating] + " ", { "data-rating": rating, "aria-keyshortcuts": key,
      class: "qa-practice__rate qa-practice__rate--" + rating });
    button.appendChild(el("kbd", { class: "qa-practice__key", "aria-hidden": "true", text: key }));
    return button;
  };

  Practice.prototype.render = function () {
    var self = this;
    this.filterBox = el("details", { class: "qa-practice__filterbox" });
    this.filterSummary = el("span", { class: "qa-practice__filtersummary" });
    this.filterBox.appendChild(el("summary", {}, [el("span", { class: "qa-practice__filterlabel", text: "Filters" }),
      this.filterSummary]));
    var filters = el("div", { class: "qa-practice__filters" }, [
      this.select("topic", "Topic", [["", "All topics"]].concat(this.deck.topics.map(function (t) {
        return [t.slug, t.title];
      }))),
      this.select("level", "Level", [["", "All levels"]].concat(core.LEVELS.map(function (l) {
        return [l, LEVEL_TITLES[l]];
      }))),
      this.tagInput(),
      this.select("mode", "Cards", Object.keys(MODE_TITLES).map(function (m) { return [m, MODE_TITLES[m]]; }))
    ]);
    this.filterBox.appendChild(filters);
    // Open where there is room; on a phone the summary line says what is chosen.
    if (window.matchMedia("(min-width: 45em)").matches) this.filterBox.open = true;

    this.planLine = el("p", { class: "qa-practice__plan", hidden: "" });
    this.countsLine = el("p", { class: "qa-practice__counts", "aria-live": "polite" });
    this.card = el("section", { class: "qa-card", "aria-label": "Flashcard", tabindex: "-1" });
    this.revealButton = this.button("reveal", "Show answer ", { class: "md-button--primary qa-practice__reveal", "aria-keyshortcuts": "Space" });
    this.revealButton.appendChild(el("kbd", { class: "qa-practice__key", "aria-hidden": "true", text: "Space" }));
    this.rateButtons = [this.rateButton("missed", "1"), this.rateButton("partly", "2"), this.rateButton("knew", "3")];
    this.actions = el("div", { class: "qa-practice__actions", role: "group", "aria-label": "Answer and rating" },
      [this.revealButton].concat(this.rateButtons));
    this.stage = el("div", { class: "qa-practice__stage" }, [this.card, this.actions]);

    this.undoButton = this.button("undo", "↶ Undo rating", { class: "qa-practice__button--quiet", "aria-keyshortcuts": "U" });
    this.skipButton = this.button("skip", "Skip for now →", { class: "qa-practice__button--quiet",
      "aria-keyshortcuts": "ArrowRight" });
    this.randomButton = this.button("random", "Random question", { class: "qa-practice__button--quiet" });
    var moveRow = el("div", { class: "qa-practice__row qa-practice__row--quiet" }, [
      this.skipButton, this.randomButton, this.undoButton
    ]);

    this.importInput = el("input", { type: "file", accept: "application/json,.json", class: "qa-practice__file",
      "data-action": "import", "aria-label": "Import progress from a file" });
    this.limitInput = el("input", { type: "number", min: "0", max: String(core.MAX_NEW_PER_DAY), step: "1",
      inputmode: "numeric", "data-setting": "newPerDay", class: "qa-practice__number" });
    this.notice = el("p", { class: "qa-practice__notice", role: "status" });
    var more = el("details", { class: "qa-practice__more" }, [
      el("summary", { text: "Your progress and settings" }),
      el("label", { class: "qa-practice__setting" }, [el("span", { text: "New cards a day" }), this.limitInput]),
      el("p", { class: "qa-practice__note", text: "Reviews that are due are never held back; only cards you have " +
        "not seen yet wait for the next day. “All cards” has no limit." }),
      el("div", { class: "qa-practice__row qa-practice__row--progress" }, [
        this.button("export", "Export progress"),
        el("label", { class: "md-button qa-practice__button" }, [document.createTextNode("Import progress"),
          this.importInput]),
        this.button("reset", "Reset progress")
      ]),
      this.notice
    ]);

    this.root.textContent = "";
    [this.filterBox, this.planLine, this.countsLine, this.stage, moveRow, more].forEach(function (n) { self.root.appendChild(n); });
    this.syncFilters();
    this.limitInput.value = String(this.settings.newPerDay);

    filters.addEventListener("change", function (event) {
      var name = event.target.getAttribute("data-filter");
      if (name === "tag") self.chooseTag(event.target.value, true);
      else if (name) self.setFilter(name, event.target.value);
    });
    // A tag picked from the list (or typed in full) applies at once; anything else on change.
    this.tagField.addEventListener("input", function () { self.chooseTag(self.tagField.value, false); });
    this.root.addEventListener("click", function (event) {
      var target = event.target.closest("[data-action]");
      if (!target || target.tagName === "INPUT") return;
      self.act(target.getAttribute("data-action"), target);
    });
    this.importInput.addEventListener("change", function () { self.importFile(self.importInput.files[0]); });
    this.limitInput.addEventListener("change", function () { self.setLimit(self.limitInput.value); });
  };

  // The controls and the summary line show this.filters; the address holds them too.
  Practice.prototype.syncFilters = function () {
    var self = this;
    ["topic", "level", "mode"].forEach(function (name) {
      self.root.querySelector('select[data-filter="' + name + '"]').value = self.filters[name];
    });
    this.tagField.value = this.filters.tag;
    this.tagField.removeAttribute("aria-invalid");
    this.tagHint.textContent = "";
    var parts = [];
    if (this.filters.topic) parts.push(this.topicTitles[this.filters.topic]);
    if (this.filters.level) parts.push(LEVEL_TITLES[this.filters.level]);
    if (this.filters.tag) parts.push("#" + this.filters.tag);
    if (!parts.length) parts.push("All topics");
    parts.push(MODE_TITLES[this.filters.mode]);
    this.filterSummary.textContent = parts.join(" · ");
    var plan = this.filters.plan && this.plans[this.filters.plan];
    this.planLine.hidden = !plan;
    this.planLine.textContent = "";
    if (plan) {
      this.planLine.appendChild(document.createTextNode("Study plan: " + plan.title + " (in the plan's order) "));
      this.planLine.appendChild(this.button("clear", "Practise the whole bank", { "data-clear": "plan",
        class: "qa-practice__button--quiet" }));
    }
  };

  Practice.prototype.writeAddress = function () {
    var url = window.location.pathname + core.serialiseFilters(this.filters) + window.location.hash;
    // Material keeps its own state in history.state (scroll positions): keep it as it is.
    window.history.replaceState(window.history.state, "", url);
  };

  Practice.prototype.setFilters = function (changes) {
    var self = this;
    Object.keys(changes).forEach(function (name) { self.filters[name] = changes[name]; });
    this.syncFilters();
    this.writeAddress();
    this.restart();
  };

  Practice.prototype.setFilter = function (name, value) {
    var changes = {};
    changes[name] = value;
    this.setFilters(changes);
  };

  Practice.prototype.chooseTag = function (typed, final) {
    var tag = typed.trim().replace(/^#/, "").toLowerCase();
    if (tag === this.filters.tag) return;
    if (!tag || this.known.tags[tag]) {
      this.setFilter("tag", tag);
      return;
    }
    if (!final) return;
    this.tagField.setAttribute("aria-invalid", "true");
    this.tagHint.textContent = "No tag “" + tag + "” on " + MIN_TAG_CARDS + " or more questions; pick one from the list.";
  };

  Practice.prototype.setLimit = function (value) {
    var clean = core.cleanSettings({ newPerDay: Number(value) });
    if (value === "" || clean.newPerDay !== Number(value)) {
      this.limitInput.value = String(this.settings.newPerDay);
      return;
    }
    this.settings = { newPerDay: clean.newPerDay, day: this.settings.day, introduced: this.settings.introduced };
    core.writeSettings(storage(), storagePrefix(), this.settings);
    this.notice.textContent = "Up to " + plural(this.settings.newPerDay, "new card") + " a day.";
    this.restart();
  };

  // ---- actions ------------------------------------------------------------------------------

  Practice.prototype.act = function (action, target) {
    var rating = target && target.getAttribute("data-rating");
    if (action === "reveal") this.reveal();
    else if (action === "rate") this.rateCurrent(rating);
    else if (action === "skip") this.skip();
    else if (action === "random") this.random();
    else if (action === "undo") this.undo();
    else if (action === "export") this.exportFile();
    else if (action === "reset") this.reset();
    else if (action === "clear") this.clearFilters(target.getAttribute("data-clear"));
    else if (action === "mode") this.setFilter("mode", target.getAttribute("data-mode"));
    else if (action === "more-new") this.moreNew();
    else if (action === "again") this.restart();
  };

  Practice.prototype.clearFilters = function (which) {
    if (which === "all") this.setFilters({ topic: "", level: "", tag: "" });
    else if (which === "plan" || FILTER_TITLES[which]) this.setFilter(which, "");
  };

  Practice.prototype.moreNew = function () {
    this.extraNew += Math.max(this.settings.newPerDay, 10);
    this.restart();
  };

  Practice.prototype.show = function (revealed) {
    var now = Date.now();
    var card = this.current();
    var c = core.counts(this.filtered(), this.progress, now);
    var where = "No cards in this queue";
    if (card) {
      var at = core.sessionProgress(this.session);
      where = "Card " + at.index + " of " + at.total + (at.repeat ? " (again)" : "");
    }
    this.countsLine.textContent = where + " · " + c.dueToday + " due today · " + c.missed + " missed · " +
      c.known + " known · " + c.fresh + " new";
    this.undoButton.disabled = !this.session.history.length;
    this.card.textContent = "";
    this.card.removeAttribute("data-card");
    this.card.removeAttribute("data-end");
    this.root.classList.toggle("qa-practice--empty", !card);
    this.actions.hidden = !card;
    this.skipButton.hidden = !card;
    this.randomButton.hidden = !card;
    if (!card) {
      this.revealed = false;
      this.showEnd(now);
      return;
    }
    var state = this.progress.cards[card.id];
    var status = state ? "Last time: " + RATINGS[state.last] + " · interval " + days(state.scheduled_days) : "New card";
    var answer = el("div", { class: "qa-card__answer", hidden: "" });
    this.card.setAttribute("data-card", card.id);
    this.card.appendChild(el("p", { class: "qa-card__meta", text: card.topicTitle + " · " +
      LEVEL_TITLES[card.difficulty] + " · " + status }));
    this.card.appendChild(el("p", { class: "qa-card__question", text: card.question }));
    this.card.appendChild(page.ownAnswerField(card.id, this.ids, this.progress));
    this.card.appendChild(answer);
    this.fillAnswer();
    this.setRevealed(!!revealed);
  };

  // The current card's answer, or a line saying it is on its way (the deck comes first).
  Practice.prototype.fillAnswer = function () {
    var card = this.current();
    var answer = this.card.querySelector(".qa-card__answer");
    if (!card || !answer) return;
    answer.textContent = "";
    if (!this.answers) {
      answer.appendChild(el("p", { class: "qa-card__loading", text: "Loading the answer…" }));
      return;
    }
    answer.innerHTML = this.answers[card.id] || ""; // sanitized at build time (qbank/render.py, nh3)
    answer.appendChild(el("p", { class: "qa-card__more" }, [el("a", {
      href: new URL(card.url, siteRoot()).toString(), text: "How to answer it, an example answer and follow-ups →"
    })]));
    // Your own answer (written before showing ours) beside ours.
    var own = this.progress.answers[card.id];
    if (own) answer.appendChild(page.besideOurs(own, Array.prototype.slice.call(answer.childNodes)));
  };

  Practice.prototype.setAnswers = function (cards) {
    var answers = Object.create(null);
    cards.forEach(function (c) { answers[c.id] = c.answer; });
    this.answers = answers;
    this.fillAnswer();
    this.setRevealed(this.revealed);
  };

  // Before the answer is shown only "Show answer" is there; the rating buttons replace it after,
  // once the answer itself is there to read.
  Practice.prototype.setRevealed = function (revealed) {
    var answer = this.card.querySelector(".qa-card__answer");
    this.revealed = revealed && !!answer;
    if (answer) answer.hidden = !this.revealed;
    this.revealButton.hidden = this.revealed;
    var rateable = this.revealed && !!this.answers;
    this.rateButtons.forEach(function (button) {
      button.hidden = !rateable;
      button.disabled = !rateable;
    });
    this.actions.classList.toggle("qa-practice__actions--rating", rateable);
  };

  Practice.prototype.reveal = function () {
    if (!this.current() || this.revealed) return;
    var hadFocus = this.revealButton === document.activeElement;
    this.fillAnswer(); // with the own answer as it is now
    this.setRevealed(true);
    // The button that had focus is gone: keep the keyboard in the card, just before the rating
    // buttons (focusing one of them would make it look chosen).
    if (hadFocus) this.card.focus({ preventScroll: true });
  };

  Practice.prototype.rateCurrent = function (rating) {
    var card = this.current();
    if (!card || !RATINGS[rating] || !this.revealed || !this.answers) return;
    var now = Date.now();
    var before = { state: this.progress.cards[card.id], settings: this.settings };
    if (!before.state) {
      this.settings = core.introduce(this.settings, card.id, now);
      core.writeSettings(storage(), storagePrefix(), this.settings);
    }
    this.progress.cards[card.id] = core.rate(before.state, rating, now);
    saveProgress(this.progress);
    // Missed cards come back in this session, a few cards later (not in the missed-only queue,
    // which already holds only them).
    this.session = core.recordRating(this.session, rating, before, this.filters.mode !== "missed");
    this.show();
  };

  Practice.prototype.undo = function () {
    var undone = core.undoRating(this.session);
    if (!undone) return;
    if (undone.before.state) this.progress.cards[undone.id] = undone.before.state;
    else delete this.progress.cards[undone.id];
    saveProgress(this.progress);
    this.settings = undone.before.settings;
    core.writeSettings(storage(), storagePrefix(), this.settings);
    this.session = undone.session;
    // The answer was seen already: it stays shown, ready for another rating.
    this.show(true);
  };

  Practice.prototype.skip = function () {
    if (!this.current()) return;
    this.session = core.skipCard(this.session);
    this.show();
  };

  // A random card from what is left of the session's queue (the chosen mode within the filters);
  // it becomes the current card, so the queue keeps its length and no card is shown twice for it.
  Practice.prototype.random = function () {
    var session = this.session;
    var current = this.current();
    var left = [];
    for (var i = session.position; i < session.queue.length; i += 1) {
      if (session.queue[i] !== current) left.push(i);
    }
    if (!left.length) return;
    this.session = core.bringForward(session, left[Math.floor(Math.random() * left.length)]);
    this.show();
  };

  // ---- the end of a queue: summary, and why it is empty with the way on ---------------------

  Practice.prototype.showEnd = function (now) {
    var box = el("div", { class: "qa-card__end" });
    var buttons = [];
    if (this.session.ratings.length) {
      var s = core.sessionSummary(this.session, this.filtered(), this.progress, now);
      box.appendChild(el("p", { class: "qa-card__question", text: "Session done: " + plural(s.rated, "card") + " rated." }));
      box.appendChild(el("ul", { class: "qa-card__summary" }, [
        el("li", { "data-count": "missed", text: s.missed + " missed" }),
        el("li", { "data-count": "partly", text: s.partly + " partly known" }),
        el("li", { "data-count": "knew", text: s.knew + " known" }),
        el("li", { "data-count": "tomorrow", text: "Due tomorrow: " + plural(s.dueTomorrow, "card") })
      ]));
      var missed = core.buildQueue("missed", this.filtered(), this.progress, now).length;
      if (missed) buttons.push(this.button("mode", "Practise what I missed (" + missed + ")", { "data-mode": "missed" }));
    }
    var plan = core.planQueue(this.filters.mode, this.filtered(), this.progress, now, this.allowed(now));
    if (plan.queue.length) {
      // Cards became due while this session ran (or it was a missed-only round): go on with them.
      box.appendChild(el("p", { text: plural(plan.queue.length, "more card") + " to practise now." }));
      buttons.unshift(this.button("again", "Go on"));
    } else {
      this.explain(box, buttons, core.explainEmpty(this.filters, this.scope(), this.progress, now, this.allowed(now)), now);
    }
    if (this.filters.mode !== "all" && !buttons.some(function (b) { return b.getAttribute("data-mode") === "all"; }) &&
        this.filtered().length) {
      buttons.push(this.button("mode", "Practise all cards", { "data-mode": "all" }));
    }
    box.appendChild(el("div", { class: "qa-practice__row" }, buttons));
    this.card.appendChild(box);
    this.card.setAttribute("data-end", this.session.ratings.length ? "summary" : "empty");
    // The rating button that had focus went away with the last card: keyboard users land on the way on.
    var focused = document.activeElement;
    if (this.session.ratings.length && buttons.length && (!focused || focused === document.body)) {
      buttons[0].focus({ preventScroll: true });
    }
  };

  Practice.prototype.explain = function (box, buttons, why, now) {
    var self = this;
    var text;
    if (why.reason === "no-match") {
      var active = ["topic", "level", "tag"].filter(function (n) { return self.filters[n]; });
      var names = active.map(function (n) {
        return n === "topic" ? "topic " + self.topicTitles[self.filters.topic] :
          n === "level" ? "level " + LEVEL_TITLES[self.filters.level] : "tag #" + self.filters.tag;
      });
      text = "No cards match " + names.join(" + ") + ".";
      why.fixes.forEach(function (name) {
        buttons.push(self.button("clear", "Clear the " + FILTER_TITLES[name] + " filter", { "data-clear": name }));
      });
      if (active.length > 1) buttons.push(self.button("clear", "Clear all filters", { "data-clear": "all" }));
    } else if (why.reason === "none-missed") {
      text = "Nothing you last rated missed among these cards.";
      buttons.push(this.button("mode", "Practise due and new cards", { "data-mode": "due" }));
    } else if (why.reason === "new-limit") {
      text = "You have started today’s " + plural(this.settings.newPerDay, "new card") + " (the daily limit), so " +
        plural(why.waiting, "new card") + " wait for tomorrow" +
        (why.nextDue === null ? "." : "; next review due " + dateText(why.nextDue, now) + ".");
      var more = Math.max(this.settings.newPerDay, 10);
      buttons.push(this.button("more-new", "Learn " + more + " more new cards today"));
    } else {
      text = "Nothing is due today" + (why.nextDue === null ? "." : " — next card due " + dateText(why.nextDue, now) + ".");
    }
    box.setAttribute("data-reason", why.reason);
    box.appendChild(el("p", { class: "qa-card__empty", text: text }));
  };

  // ---- progress: export, import, reset ------------------------------------------------------

  Practice.prototype.exportFile = function () {
    var blob = new Blob([JSON.stringify(this.progress, null, 2)], { type: "application/json" });
    var link = el("a", { href: URL.createObjectURL(blob), download: "ml-infra-interviews-progress.json" });
    document.body.appendChild(link);
    link.click();
    link.remove();
  };

  Practice.prototype.importFile = function (file) {
    var self = this;
    if (!file) return;
    file.text().then(function (text) {
      var imported = core.parseImport(text, self.ids);
      if (imported.error) {
        self.notice.textContent = imported.error;
        return;
      }
      var count = Object.keys(imported.cards).length;
      Object.keys(imported.cards).forEach(function (id) { self.progress.cards[id] = imported.cards[id]; });
      Object.keys(imported.answers).forEach(function (id) { self.progress.answers[id] = imported.answers[id]; });
      saveProgress(self.progress);
      self.restart();
      self.notice.setAttribute("data-imported", String(count));
      self.notice.textContent = "Imported progress for " + plural(count, "question") + " from " + file.name + ".";
    }).catch(function () {
      self.notice.textContent = "That file could not be read.";
    });
    this.importInput.value = "";
  };

  Practice.prototype.reset = function () {
    if (!window.confirm("Forget all your practice progress in this browser? This cannot be undone.")) return;
    this.progress = core.emptyProgress();
    saveProgress(this.progress);
    this.settings = { newPerDay: this.settings.newPerDay, day: "", introduced: [] };
    core.writeSettings(storage(), storagePrefix(), this.settings);
    this.notice.textContent = "Your progress was reset.";
    this.restart();
  };

  Practice.prototype.key = function (event) {
    var keys = { " ": "reveal", "1": "missed", "2": "partly", "3": "knew", ArrowRight: "skip", u: "undo", U: "undo" };
    var action = keys[event.key];
    // With no card, Space is left to the page (it presses the focused button of the summary).
    if (!action || (action === "reveal" && !this.current())) return;
    event.preventDefault();
    if (RATINGS[action]) this.rateCurrent(action);
    else this.act(action, null);
  };

  // ---- wiring (also after Material's instant navigation) ------------------------------------

  var practice = null;

  var firstLoad = true; // the page's own load, not one of Material's instant navigations

  function afterPaint(callback) {
    window.requestAnimationFrame(function () {
      window.requestAnimationFrame(function () { window.setTimeout(callback, 0); });
    });
  }

  // Calls back once the card has been painted, so the large file of answers does not hold up the
  // question. On the page's first load that is when the browser reports the card's paint
  // (largest-contentful-paint), or the reader's first key or tap, or after 3 s where the browser
  // reports no paint; after Material's instant navigation, which reports none, two frames on.
  function afterCardPainted(stage, first, callback) {
    if (!first || !window.PerformanceObserver ||
        (PerformanceObserver.supportedEntryTypes || []).indexOf("largest-contentful-paint") === -1) {
      afterPaint(callback);
      return;
    }
    var done = false;
    var observer = new PerformanceObserver(function (list) {
      if (list.getEntries().some(function (e) { return e.element && stage.contains(e.element); })) go();
    });
    var timer = window.setTimeout(go, 3000);
    function go() {
      if (done) return;
      done = true;
      observer.disconnect();
      window.clearTimeout(timer);
      document.removeEventListener("keydown", go, true);
      document.removeEventListener("pointerdown", go, true);
      callback();
    }
    document.addEventListener("keydown", go, true);
    document.addEventListener("pointerdown", go, true);
    observer.observe({ type: "largest-contentful-paint", buffered: true });
  }

  function init() {
    var root = document.querySelector("[data-practice]");
    practice = null;
    if (!root) return;
    // The deck (every card but its answer) is a fifteenth of the cards' size: the first question
    // shows as soon as it is in, and the answers follow.
    var first = firstLoad;
    firstLoad = false;
    // A plan named in the address (practice/?plan=<slug>, from a plan's page) needs the plans.
    var wantsPlan = new URLSearchParams(window.location.search).has("plan");
    Promise.all([
      loadJson("practice/deck.json"),
      wantsPlan ? loadJson("downloads/plans.json").catch(function () { return { plans: [] }; }) : null
    ]).then(function (loaded) {
      var deck = loaded[0];
      if (!root.isConnected) return;
      var here = new Practice(root, deck, loaded[1] && loaded[1].plans);
      practice = here;
      afterCardPainted(here.stage, first, function () {
        loadJson("practice/cards.json").then(function (cards) {
          if (root.isConnected) here.setAnswers(cards.cards);
        }).catch(function (error) {
          here.countsLine.textContent = "The answers could not be loaded (" + error.message + "). Reload the page to try again.";
        });
      });
    }).catch(function (error) {
      root.textContent = "The practice cards could not be loaded (" + error.message + ").";
    });
  }

  document.addEventListener("keydown", function (event) {
    if (!practice || !practice.root.isConnected) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) return;
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "z" || event.key === "Z") && !event.shiftKey) {
      event.preventDefault();
      practice.undo();
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    // Space always reveals here, even with a button focused (it would otherwise press it).
    practice.key(event);
  });

  if (window.document$) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
